"""``lapor retention``: the UU PDP retention purge, once, by hand."""

from __future__ import annotations

import asyncio
import json
from typing import Annotated

import typer

from bot.runtime.settings import load_settings

app = typer.Typer(
    help="Retention: anonymise complaints closed longer than LAPOR_RETENTION_DAYS.", no_args_is_help=True
)


@app.command("run")
def run(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would be anonymised; change nothing.")
    ] = False,
) -> None:
    """Anonymise complaints closed more than LAPOR_RETENTION_DAYS ago; print what was (or would be) done."""
    from bot.cli.rights_operator import retention_now

    report = asyncio.run(retention_now(load_settings(), dry_run=dry_run))
    typer.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
