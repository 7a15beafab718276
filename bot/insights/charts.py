"""Charts as server-side SVG: readable without JavaScript, printable, no library, no CDN.

Each function takes plain figures and returns an ``<svg>`` element (as Markup,
every text escaped). Colours are attributes, not styles, so the dashboard's
strict CSP needs no exception.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

RECEIVED, RESOLVED, MISSED, GRID, INK = "#1f6feb", "#2da44e", "#cf222e", "#d0d7de", "#24292f"
FONT = 'font-family="sans-serif" font-size="11"'


def _svg(width: int, height: int, label: str, body: list[str]) -> Markup:
    title = escape(label)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-label="{title}"><title>{title}</title>'
    )
    return Markup(head + "".join(body) + "</svg>")  # noqa: S704 - every text above is escaped


def _text(x: float, y: float, text: object, anchor: str = "start", fill: str = INK) -> str:
    where = f'x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}"'
    return f"<text {where} {FONT}>{escape(str(text))}</text>"


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = float(10 ** math.floor(math.log10(value)))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return float(step * magnitude)
    return 10.0 * magnitude


@dataclass(frozen=True, slots=True)
class Point:
    label: str
    received: int
    resolved: int


def time_series(points: Sequence[Point], label: str = "Laporan masuk dan selesai") -> Markup:
    """Two lines over time: complaints received and complaints resolved per bucket."""
    width, height, left, bottom, top, right = 720, 260, 44, 40, 16, 12
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = _nice_max(max([max(p.received, p.resolved) for p in points] or [0]))
    step = plot_w / max(len(points) - 1, 1)

    def xy(i: int, v: int) -> str:
        return f"{left + i * step:.1f},{top + plot_h - v / peak * plot_h:.1f}"

    body = _grid(left, top, plot_w, plot_h, peak)
    for series, colour in (("received", RECEIVED), ("resolved", RESOLVED)):
        coords = " ".join(xy(i, getattr(p, series)) for i, p in enumerate(points))
        if coords:
            body.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2"/>')
    every = max(1, math.ceil(len(points) / 8))
    for i, p in enumerate(points):
        if i % every == 0:
            body.append(_text(left + i * step, height - bottom + 16, p.label, "middle"))
    body += _legend(left, height - 8, [("Masuk", RECEIVED), ("Selesai", RESOLVED)])
    return _svg(width, height, label, body)


def _grid(left: float, top: float, w: float, h: float, peak: float) -> list[str]:
    lines = []
    for k in range(5):
        y = top + h - k * h / 4
        lines.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + w}" y2="{y:.1f}" stroke="{GRID}"/>')
        lines.append(_text(left - 6, y + 4, f"{peak * k / 4:g}", "end"))
    return lines


def _legend(x: float, y: float, entries: list[tuple[str, str]]) -> list[str]:
    parts = []
    for name, colour in entries:
        parts.append(f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="10" height="10" fill="{colour}"/>')
        parts.append(_text(x + 14, y, name))
        x += 24 + 7 * len(name)
    return parts


def bars(items: Sequence[tuple[str, int]], label: str, colour: str = RECEIVED) -> Markup:
    """Horizontal bars, largest first as given."""
    row, left, width = 22, 170, 720
    height = max(row * len(items) + 16, 40)
    peak = max([v for _, v in items] or [0]) or 1
    body = []
    for i, (name, value) in enumerate(items):
        y = 8 + i * row
        length = (width - left - 60) * value / peak
        body.append(_text(left - 8, y + 14, _short(name), "end"))
        body.append(f'<rect x="{left}" y="{y + 3}" width="{length:.1f}" height="{row - 8}" fill="{colour}"/>')
        body.append(_text(left + length + 6, y + 14, value))
    if not items:
        body.append(_text(width / 2, 24, "Belum ada data", "middle"))
    return _svg(width, height, label, body)


def _short(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True, slots=True)
class Share:
    label: str
    met: int
    missed: int


def compliance(items: Sequence[Share], label: str = "Kepatuhan tenggat per instansi") -> Markup:
    """Stacked bars to 100 %: deadlines met (green) and missed (red), with the share met."""
    row, left, width = 22, 170, 720
    height = max(row * len(items) + 36, 56)
    span = width - left - 70
    body = []
    for i, item in enumerate(items):
        y, total = 8 + i * row, item.met + item.missed
        met_w = span * item.met / total if total else 0
        body.append(_text(left - 8, y + 14, _short(item.label), "end"))
        if total:
            body.append(
                f'<rect x="{left}" y="{y + 3}" width="{met_w:.1f}" height="{row - 8}" fill="{RESOLVED}"/>'
            )
            body.append(
                f'<rect x="{left + met_w:.1f}" y="{y + 3}" width="{span - met_w:.1f}" '
                f'height="{row - 8}" fill="{MISSED}"/>'
            )
            body.append(_text(left + span + 6, y + 14, f"{100 * item.met / total:.0f}%"))
        else:
            body.append(_text(left, y + 14, "belum ada tenggat"))
    body += _legend(left, height - 8, [("Tepat waktu", RESOLVED), ("Terlambat", MISSED)])
    return _svg(width, height, label, body)


@dataclass(frozen=True, slots=True)
class Place:
    label: str
    latitude: float
    longitude: float
    count: int


# Indonesia from Sabang to Merauke, Miangas to Rote, with a margin.
WEST, EAST, NORTH, SOUTH = 94.5, 141.5, 6.5, -11.5


def point_map(places: Sequence[Place], label: str = "Sebaran laporan per kabupaten/kota") -> Markup:
    """A tile-free map: one circle per kabupaten/kota at its complaints' mean position, area by count."""
    width = 720
    height = round(width * (NORTH - SOUTH) / (EAST - WEST))
    peak = max([p.count for p in places] or [1])

    def x(lon: float) -> float:
        return (lon - WEST) / (EAST - WEST) * width

    def y(lat: float) -> float:
        return (NORTH - lat) / (NORTH - SOUTH) * height

    body = [f'<rect x="0" y="0" width="{width}" height="{height}" fill="#f6f8fa" stroke="{GRID}"/>']
    for lon in range(95, 142, 5):
        body.append(f'<line x1="{x(lon):.1f}" y1="0" x2="{x(lon):.1f}" y2="{height}" stroke="{GRID}"/>')
        body.append(_text(x(lon) + 2, height - 4, f"{lon}°BT"))
    for lat in range(5, -12, -5):
        body.append(f'<line x1="0" y1="{y(lat):.1f}" x2="{width}" y2="{y(lat):.1f}" stroke="{GRID}"/>')
        body.append(_text(2, y(lat) - 2, f"{abs(lat)}°{'LU' if lat > 0 else 'LS' if lat < 0 else ''}"))
    for place in sorted(places, key=lambda p: -p.count):
        if not (SOUTH <= place.latitude <= NORTH and WEST <= place.longitude <= EAST):
            continue
        radius = 3 + 17 * math.sqrt(place.count / peak)
        body.append(
            f'<circle cx="{x(place.longitude):.1f}" cy="{y(place.latitude):.1f}" r="{radius:.1f}" '
            f'fill="{RECEIVED}" fill-opacity="0.45" stroke="{RECEIVED}">'
            f"<title>{escape(place.label)}: {place.count}</title></circle>"
        )
    if not places:
        body.append(_text(width / 2, height / 2, "Belum ada laporan berkoordinat", "middle"))
    return _svg(width, height, label, body)
