"""The statistics page and its SVG charts, over HTTP, on both databases."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import httpx

from bot.insights import charts
from bot.runtime.process import Runtime
from tests.insights.fixtures import TODAY, plant_march
from tests.officers.test_dashboard import PASSWORD, login
from tests.support import Clock
from tests.support.officers import officer

SVG = "{http://www.w3.org/2000/svg}svg"


def _svgs(html: str) -> list[ET.Element]:
    found, rest = [], html
    while "<svg" in rest:
        start = rest.index("<svg")
        end = rest.index("</svg>", start) + len("</svg>")
        found.append(ET.fromstring(rest[start:end]))
        rest = rest[end:]
    return found


async def test_the_statistics_page_draws_parsable_svg_charts(
    client: httpx.AsyncClient, runtime: Runtime, clock: Clock
) -> None:
    clock.now = TODAY
    await plant_march(runtime)
    await officer(runtime, "o@pupr.go.id", agency="PUPR", password=PASSWORD)
    await login(client, "o@pupr.go.id")

    page = await client.get("/dashboard/statistik", params={"from": "2026-03-01", "to": "2026-03-31"})

    assert page.status_code == 200
    assert "script-src 'self'" in page.headers["content-security-policy"]
    svgs = _svgs(page.text)
    assert len(svgs) >= 4 and all(s.tag == SVG for s in svgs)
    titles = {s.find("{http://www.w3.org/2000/svg}title").text for s in svgs}  # type: ignore[union-attr]
    assert {"Laporan masuk dan selesai", "Kepatuhan tenggat per instansi"} <= titles
    assert "KEMENKES" not in page.text
    assert "<script" not in page.text.split("</head>", 1)[1]


async def test_a_bad_period_falls_back_politely(client: httpx.AsyncClient, runtime: Runtime) -> None:
    await officer(runtime, "o@pupr.go.id", agency="PUPR", password=PASSWORD)
    await login(client, "o@pupr.go.id")

    page = await client.get("/dashboard/statistik", params={"from": "2026-03-01", "to": "2020-01-01"})

    assert page.status_code == 200 and "Periode tidak valid" in page.text


def test_chart_text_is_escaped_and_parses() -> None:
    hostile = '<script>alert("x")</script> & "Kota"'
    for svg in (
        charts.bars([(hostile, 3), ("Sleman", 1)], hostile),
        charts.compliance([charts.Share(hostile, 2, 1), charts.Share("kosong", 0, 0)]),
        charts.point_map([charts.Place(hostile, -7.7, 110.4, 5), charts.Place("luar", 60.0, 10.0, 1)]),
        charts.time_series([charts.Point(hostile, 3, 1), charts.Point("b", 0, 2)]),
        charts.time_series([]),
    ):
        root = ET.fromstring(str(svg))
        assert root.tag == SVG
        assert "<script" not in str(svg)
    in_map = ET.fromstring(
        str(charts.point_map([charts.Place("a", -7.7, 110.4, 5), charts.Place("b", 60.0, 10.0, 1)]))
    )
    assert len(in_map.findall(".//{http://www.w3.org/2000/svg}circle")) == 1  # outside Indonesia is left out


async def test_the_cache_reuses_figures_within_its_ttl_only() -> None:
    from datetime import UTC, datetime

    from bot.insights.cache import TtlCache

    ticks, calls = [0.0], []
    cache: TtlCache[int] = TtlCache(ttl=10, size=2, monotonic=lambda: ticks[0])

    async def compute() -> int:
        calls.append(1)
        return len(calls)

    def now() -> datetime:
        return datetime(2026, 3, 2, tzinfo=UTC)

    first = await cache.get("a", compute, now)
    again = await cache.get("a", compute, now)
    ticks[0] = 11
    later = await cache.get("a", compute, now)
    await cache.get("b", compute, now)
    await cache.get("c", compute, now)  # evicts "a", the least recently used
    after_eviction = await cache.get("a", compute, now)

    assert (first.value, again.value, later.value, after_eviction.value) == (1, 1, 2, 5)
