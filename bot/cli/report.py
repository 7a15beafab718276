"""``lapor report monthly``: the monthly planning report as HTML or PDF."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer

from bot.runtime.settings import load_settings

app = typer.Typer(help="Reports for planning.")


async def _monthly(agency: str | None, month: str, pdf: bool) -> bytes:
    from bot.insights import reports
    from bot.runtime.process import utc_now
    from storage.db import create_engine, session_factory

    engine = create_engine(load_settings().database_url)
    try:
        async with session_factory(engine)() as session:
            report = await reports.monthly(session, agency, month, utc_now())
    finally:
        await engine.dispose()
    html = reports.to_html(report, reports.category_names())
    return reports.to_pdf(html) if pdf else html.encode()


@app.command()
def monthly(
    month: Annotated[str, typer.Option(help="YYYY-MM, e.g. 2026-11")],
    agency: Annotated[str | None, typer.Option(help="Agency code; omitted: the whole deployment")] = None,
    out: Annotated[Path | None, typer.Option(help="File to write; .pdf gives a PDF")] = None,
    pdf: Annotated[bool, typer.Option(help="PDF instead of HTML")] = False,
) -> None:
    """The month's complaints, top problems by region, deadline compliance, satisfaction, examples."""
    from bot.insights.period import PeriodError

    as_pdf = pdf or (out is not None and out.suffix.lower() == ".pdf")
    try:
        body = asyncio.run(_monthly(agency, month, as_pdf))
    except (LookupError, PeriodError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    target = out or Path(f"laporan-{(agency or 'semua').lower()}-{month}.{'pdf' if as_pdf else 'html'}")
    target.write_bytes(body)
    typer.echo(f"written {target} ({len(body):,} bytes)")
