"""The monthly report: figures of the month, examples without personal data, HTML and PDF, the CLI."""

from __future__ import annotations

import httpx
from typer.testing import CliRunner

from bot.cli.main import app as cli
from bot.insights import reports
from bot.runtime.process import Runtime
from tests.insights.fixtures import TODAY, plant_march
from tests.insights.support import Seed, at, plant
from tests.officers.test_dashboard import PASSWORD, login
from tests.support import Clock
from tests.support.officers import officer


async def test_the_monthly_report_has_the_months_figures_and_no_personal_data(
    client: httpx.AsyncClient, runtime: Runtime, clock: Clock
) -> None:
    clock.now = TODAY
    await plant_march(runtime)
    await plant(
        runtime,
        Seed("PUPR", at("2026-03-09"), title="Hubungi 081234567890 soal jalan", display_name="Budi Rahasia",
             moves=[(at("2026-03-10"), "received", "verified"), (at("2026-03-11"), "verified", "resolved")]),
    )  # fmt: skip
    await officer(runtime, "o@pupr.go.id", agency="PUPR", password=PASSWORD)
    await login(client, "o@pupr.go.id")

    html = await client.get("/dashboard/laporan-bulanan", params={"bulan": "2026-03", "agency": "KEMENKES"})
    pdf = await client.get("/dashboard/laporan-bulanan", params={"bulan": "2026-03", "pdf": "true"})

    assert html.status_code == 200
    assert "<strong>6</strong> laporan masuk" in html.text  # PUPR's own, not Kemenkes' (asked for)
    assert "081234567890" not in html.text and "[PHONE]" in html.text and "Budi Rahasia" not in html.text
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    async with runtime.sessions() as session:
        whole = await reports.monthly(session, None, "2026-03", TODAY)
    assert whole.stats.total == 7 and whole.agency is None


def test_the_cli_refuses_a_bad_month_clearly() -> None:
    result = CliRunner().invoke(cli, ["report", "monthly", "--month", "2026-13"])

    assert result.exit_code == 2 and "not a month" in result.output
