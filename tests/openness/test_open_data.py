"""The open-data API: paging, filters, CSV, figures, ETags, the rate limit, the OpenAPI schema."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from bot.runtime.process import Runtime
from storage.models import Complaint, StatusEvent
from tests.support.officers import MONDAY, insert_complaint


async def _follow_up(runtime: Runtime, ticket: str, days_later: int, status: str = "in_progress") -> None:
    async with runtime.sessions.begin() as session:
        complaint = await session.scalar(select(Complaint).where(Complaint.ticket == ticket))
        assert complaint is not None
        complaint.status = status
        session.add(
            StatusEvent(
                complaint_id=complaint.id, at=MONDAY + timedelta(days=days_later), actor="officer:1",
                from_status="verified", to_status=status, public_note="Tim sudah turun ke lokasi",
            )
        )  # fmt: skip


async def test_paging_and_filters(client: httpx.AsyncClient, runtime: Runtime) -> None:
    for _ in range(3):
        await insert_complaint(runtime, "PEMKAB-SLEMAN")
    bandung = await insert_complaint(runtime, "PEMKOT-BANDUNG", regency_code="32.73", category="health")
    first = (await client.get("/api/public/v1/complaints?per_page=2")).json()
    assert first["total"] == 4 and first["pages"] == 2 and len(first["items"]) == 2
    second = (await client.get("/api/public/v1/complaints?per_page=2&page=2")).json()
    assert {i["ticket"] for i in first["items"]}.isdisjoint(i["ticket"] for i in second["items"])
    by_region = (await client.get("/api/public/v1/complaints?region=32.73")).json()
    assert [i["ticket"] for i in by_region["items"]] == [bandung]
    assert (await client.get("/api/public/v1/complaints?region=32")).json()["total"] == 1
    assert (await client.get("/api/public/v1/complaints?agency=PEMKAB-SLEMAN")).json()["total"] == 3
    assert (await client.get("/api/public/v1/complaints?category=health")).json()["total"] == 1
    assert (await client.get("/api/public/v1/complaints?status=closed")).json()["total"] == 0
    assert (await client.get("/api/public/v1/complaints?from=2026-03-03")).json()["total"] == 0
    assert (await client.get("/api/public/v1/complaints?from=2026-03-02&to=2026-03-02")).json()["total"] == 4


async def test_bad_filters_are_clear_400s(client: httpx.AsyncClient) -> None:
    for query, fragment in [
        ("region=DROP TABLE", "region must be"),
        ("category=roads", "category must be one of"),
        ("from=kemarin", "from must be a date"),
        ("from=2026-03-05&to=2026-03-01", "from must not be after to"),
        ("page=0", "page must be a positive"),
    ]:
        response = await client.get(f"/api/public/v1/complaints?{query}")
        assert response.status_code == 400, query
        assert fragment in response.json()["detail"]


async def test_csv_has_the_rows_and_neutralises_formulas(client: httpx.AsyncClient, runtime: Runtime) -> None:
    ticket = await insert_complaint(runtime, None, title="=HYPERLINK(1)", description="+cmd")
    response = await client.get("/api/public/v1/complaints.csv")
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["ticket"] for r in rows] == [ticket]
    assert rows[0]["title"] == "'=HYPERLINK(1)" and rows[0]["description"] == "'+cmd"


async def test_figures_per_agency_with_on_time_share(client: httpx.AsyncClient, runtime: Runtime) -> None:
    tickets = [
        await insert_complaint(runtime, "PEMKAB-SLEMAN", followup_due=date(2026, 3, 9)) for _ in range(4)
    ]
    await _follow_up(runtime, tickets[0], 2)  # 4 Mar: on time
    await _follow_up(runtime, tickets[1], 3)  # 5 Mar: on time
    await _follow_up(runtime, tickets[2], 10)  # 12 Mar: late
    stats = (await client.get("/api/public/v1/stats")).json()
    [sleman] = [a for a in stats["agencies"] if a["code"] == "PEMKAB-SLEMAN"]
    assert sleman["complaints"] == 4 and sleman["decided"] == 3 and sleman["on_time"] == 2
    assert sleman["on_time_share"] == 0.667
    assert stats["this_month"] == 4 and stats["month"] == "2026-03"
    assert stats["by_region"] == {"Kabupaten Sleman": 4}
    one = (await client.get("/api/public/v1/complaints?per_page=100")).json()["items"]
    late = next(i for i in one if i["ticket"] == tickets[2])
    assert (
        late["followup_deadline"] == "missed" and late["timeline"][-1]["note"] == "Tim sudah turun ke lokasi"
    )


async def test_etag_and_304(client: httpx.AsyncClient, runtime: Runtime) -> None:
    await insert_complaint(runtime, None)
    first = await client.get("/api/public/v1/complaints")
    tag = first.headers["etag"]
    assert first.headers["cache-control"].startswith("public")
    again = await client.get("/api/public/v1/complaints", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag
    await insert_complaint(runtime, None)
    changed = await client.get("/api/public/v1/complaints", headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["etag"] != tag


async def test_rate_limited_per_client(client: httpx.AsyncClient, runtime: Runtime) -> None:
    limit = runtime.settings.public_rate_limit_per_minute
    codes = [(await client.get("/api/public/v1/stats")).status_code for _ in range(limit + 1)]
    assert codes[:limit] == [200] * limit
    assert codes[limit] == 429


async def test_documented_in_the_openapi_schema(client: httpx.AsyncClient, app: FastAPI) -> None:
    paths = (await client.get("/openapi.json")).json()["paths"]
    for path in ("/api/public/v1/complaints", "/api/public/v1/complaints.csv", "/api/public/v1/stats"):
        assert "get" in paths[path], path
    names = {p["name"] for p in paths["/api/public/v1/complaints"]["get"]["parameters"]}
    assert {"region", "category", "agency", "status", "from", "to", "page", "per_page"} <= names
    assert "/open311/v2/requests.{fmt}" in paths
