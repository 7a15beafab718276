"""Exports: CSV and XLSX round trips, formula cells neutralised, personal data by grant only."""

from __future__ import annotations

import csv
import io

import httpx
from openpyxl import load_workbook

from bot.runtime.process import Runtime
from tests.insights.support import Seed, at, plant
from tests.support.officers import bearer, officer

FORMULAS = ['=HYPERLINK("http://x","y")', "+62 812", "-1+2", "@SUM(A1)", "\tTab", "\rCR"]


async def _seed(runtime: Runtime) -> dict[str, str]:
    tickets = {}
    for i, title in enumerate(FORMULAS):
        tickets[title] = await plant(
            runtime, Seed("PUPR", at("2026-03-02"), title=title, display_name=f"=cmd|{i}")
        )
    tickets["anon"] = await plant(
        runtime, Seed("PUPR", at("2026-03-02"), title="Anonim", anonymous=True, display_name="Rahasia Sekali")
    )
    tickets["other"] = await plant(runtime, Seed("KEMENKES", at("2026-03-02"), title="Milik Kemenkes"))
    return tickets


async def test_xlsx_round_trips_with_formulas_neutralised(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    tickets = await _seed(runtime)
    token = await officer(runtime, "o@pupr.go.id", agency="PUPR")

    response = await client.get("/api/v1/complaints.xlsx", headers=bearer(token))

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert "reporter_name" not in header and "description" not in header
    by_ticket = {row[header.index("ticket")]: row for row in body}
    assert set(by_ticket) == {t for k, t in tickets.items() if k != "other"}
    for title in FORMULAS:
        # XML turns a bare carriage return into a line feed; the apostrophe is what matters.
        assert by_ticket[tickets[title]][header.index("title")] == "'" + title.replace("\r", "\n")
    for cell_row in load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2):  # type: ignore[union-attr]
        assert all(cell.data_type != "f" for cell in cell_row)


async def test_personal_data_only_with_the_grant_and_never_for_anonymous(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    tickets = await _seed(runtime)
    granted = await officer(runtime, "id@pupr.go.id", agency="PUPR", identity_access=True)
    plain = await officer(runtime, "o@pupr.go.id", agency="PUPR")

    with_grant = list(
        csv.DictReader(
            io.StringIO(
                (await client.get("/api/v1/complaints.csv", headers=bearer(granted))).text.lstrip("\ufeff")
            )
        )
    )
    without = (await client.get("/api/v1/complaints.csv", headers=bearer(plain))).text

    names = {row["ticket"]: row["reporter_name"] for row in with_grant}
    assert names[tickets["anon"]] == "" and "Rahasia Sekali" not in without
    assert names[tickets[FORMULAS[0]]] == "'=cmd|0"
    assert {row["reporter_phone"] for row in with_grant if row["ticket"] != tickets["anon"]} == {
        "'+6281234567890"
    }
    assert "Rahasia Sekali" not in str(with_grant)
    assert "reporter_name" not in without.splitlines()[0] and "+6281234567890" not in without
    assert tickets["other"] not in without


async def test_csv_export_follows_the_list_filters(client: httpx.AsyncClient, runtime: Runtime) -> None:
    await plant(runtime, Seed("PUPR", at("2026-03-02"), title="Sampah", category="environment"))
    await plant(runtime, Seed("PUPR", at("2026-03-02"), title="Jalan"))
    token = await officer(runtime, "o@pupr.go.id", agency="PUPR")

    text = (
        await client.get("/api/v1/complaints.csv", params={"category": "environment"}, headers=bearer(token))
    ).text

    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [row["title"] for row in rows] == ["Sampah"]
