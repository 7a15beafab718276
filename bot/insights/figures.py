"""The charts of a ``Statistics``: what the statistics page and the monthly report draw."""

from __future__ import annotations

from markupsafe import Markup

from bot.insights import charts
from bot.insights.models import Statistics

STAGES = {"verification": "Verifikasi", "follow_up": "Tindak lanjut pertama"}
METRICS = {"verification": "Sampai verifikasi", "first_response": "Sampai tanggapan pertama",
           "resolution": "Sampai selesai"}  # fmt: skip
DIMENSIONS = {
    "category": "Bidang", "province": "Provinsi", "regency": "Kabupaten/kota", "agency": "Instansi",
    "status": "Status", "kind": "Jenis", "channel": "Kanal", "identity": "Pilihan identitas",
}  # fmt: skip
IDENTITY = {"public": "Terbuka", "confidential": "Rahasia", "anonymous": "Anonim"}


def _bucket_label(stats: Statistics, index: int) -> str:
    start = stats.series[index].start
    return start.strftime("%m-%Y") if stats.period.grain == "month" else start.strftime("%d-%m")


def figures(stats: Statistics, categories: dict[str, str]) -> dict[str, Markup]:
    """SVG charts: time series, categories, agencies, deadline compliance per agency, the map."""
    points = [
        charts.Point(_bucket_label(stats, i), p.received, p.resolved) for i, p in enumerate(stats.series)
    ]
    by_category = [(categories.get(c.key, c.key), c.count) for c in stats.counts["category"][:15]]
    by_agency = [(c.label, c.count) for c in stats.counts["agency"][:15]]
    shares = [
        charts.Share(f"{c.agency} · {STAGES[c.stage]}", c.met, c.missed)
        for c in stats.compliance
        if c.agency is not None
    ]
    places = [charts.Place(p.label, p.latitude, p.longitude, p.count) for p in stats.places]
    return {
        "series": charts.time_series(points),
        "category": charts.bars(by_category, "Laporan per bidang"),
        "agency": charts.bars(by_agency, "Laporan per instansi", charts.RESOLVED),
        "compliance": charts.compliance(shares),
        "map": charts.point_map(places),
    }


def percent(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.0f}%"
