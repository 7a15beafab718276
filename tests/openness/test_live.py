"""The public side under uvicorn on 127.0.0.1: a real Open311 client; the page in Chromium at 360x640."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from georeport import GeoReport

from bot.openness.upstream.base import ForwardRecord, Pulled
from bot.openness.upstream.open311_client import Open311Upstream
from bot.runtime.process import Runtime, build_runtime
from bot.runtime.settings import Settings, load_settings
from tests.support.browser import chromium, free_socket, serving, watched_page
from tests.support.officers import insert_complaint, officer
from tests.support.paths import ARTIFACTS

TITLE = "Lampu penerangan jalan mati sepanjang Jl. Kaliurang, warga takut melintas malam hari"


async def _prepare(config: Settings) -> tuple[str, str]:
    runtime: Runtime = await build_runtime(config, migrate=False)
    try:
        token = await officer(runtime, "intake@lapor.go.id", agency="PEMKAB-SLEMAN")
        ticket = await insert_complaint(runtime, "PEMKAB-SLEMAN", title=TITLE, description=TITLE)
        for category in ("health", "education", "environment"):
            await insert_complaint(runtime, "PEMKAB-SLEMAN", category=category, status="in_progress")
        await insert_complaint(runtime, "PEMKOT-BANDUNG", regency_code="32.73", status="resolved")
        return token, ticket
    finally:
        await runtime.close()


@pytest.fixture
def live(database_url: str, tmp_path: Path) -> Iterator[tuple[str, str, str]]:
    """(base URL, officer API token, a public ticket)."""
    config = load_settings(
        database_url=database_url, state_path=tmp_path / "state.sqlite3", worker_in_process=False
    )
    token, ticket = asyncio.run(_prepare(config))
    with serving(config, free_socket()) as running:
        yield running.url, token, ticket


def test_a_real_open311_client_reads_and_files(live: tuple[str, str, str]) -> None:
    base, token, ticket = live
    json_client = GeoReport(f"{base}/open311/v2", api_key=token)
    services = json_client.get_service_list()
    assert services[0]["service_code"] == "infrastructure"
    assert json_client.get_service_definition("health")["attributes"][0]["code"] == "rahasia"
    found = json_client.get_service_request(ticket)
    assert found["service_request_id"] == ticket and found["status"] == "open"
    assert {r["service_request_id"] for r in json_client.get_service_requests(status="open")} >= {ticket}
    xml_client = GeoReport(f"{base}/open311/v2", output_format="xml")
    assert [s["service_code"] for s in xml_client.get_service_list()][:2] == ["infrastructure", "health"]
    assert xml_client.get_service_request(ticket)["service_request_id"] == ticket


def test_our_open311_upstream_client_files_into_our_open311_server(live: tuple[str, str, str]) -> None:
    """The library above only reads; POST is exercised with our own client (bot.openness.upstream)."""
    base, token, _ = live
    record = ForwardRecord(
        ticket="LPR-TEST0001", kind="complaint", category="infrastructure", title="Trotoar rusak",
        description="Trotoar rusak di depan pasar", location="Jl. Magelang", regency_code=None,
        regency="Kabupaten Sleman", lat=-7.75, long=110.36, incident_date=None, agency_code=None,
        confidential=False, anonymous=True, reporter=None,
    )  # fmt: skip

    async def file_and_pull() -> tuple[str, list[Pulled]]:
        client = Open311Upstream(f"{base}/open311/v2", token, timeout=10)
        try:
            submitted = await client.submit(record)
            return submitted.upstream_id, await client.pull([submitted.upstream_id])
        finally:
            await client.aclose()

    new_ticket, pulled = asyncio.run(file_and_pull())
    assert new_ticket.startswith("LPR-")
    assert pulled == [Pulled(new_ticket, "", "Diterima / Received")]
    again = GeoReport(f"{base}/open311/v2").get_service_request(new_ticket)
    assert again["agency_responsible"] == "Pemerintah Kabupaten Sleman"


@pytest.mark.browser
def test_the_transparency_page_on_a_360_pixel_phone(live: tuple[str, str, str]) -> None:
    base, _, ticket = live
    ARTIFACTS.mkdir(exist_ok=True)
    viewport = {"viewport": {"width": 360, "height": 640}, "java_script_enabled": False}
    with chromium() as browser:
        with watched_page(browser, f"{base}/transparansi", "h1", **viewport) as page:
            assert page.locator(".complaint").count() == 5
            assert page.locator(f"a[href='/transparansi/{ticket}']").count() >= 1
            width = page.evaluate("document.documentElement.scrollWidth")
            page.screenshot(path=str(ARTIFACTS / "transparansi-360.png"), full_page=True)
        with watched_page(browser, f"{base}/transparansi/{ticket}", "h1", **viewport) as detail:
            assert TITLE[:30] in detail.locator("h1").inner_text()
            detail_width = detail.evaluate("document.documentElement.scrollWidth")
            detail.screenshot(path=str(ARTIFACTS / "transparansi-detail-360.png"), full_page=True)
    assert width <= 360 and detail_width <= 360  # nothing wider than the phone
