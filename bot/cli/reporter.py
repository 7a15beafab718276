"""``lapor reporter``: a reporter's rights under UU PDP, for operators (export, erase)."""

from __future__ import annotations

import asyncio
import json
from typing import Annotated, Any

import typer

from bot.runtime.settings import load_settings

app = typer.Typer(help="A reporter's data under UU PDP: a copy (export) and erasure.", no_args_is_help=True)
Address = Annotated[str, typer.Argument(help="an address, e.g. rest:budi or tel:+6281234567890")]


def _print(data: dict[str, Any]) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _nothing(address: str) -> typer.Exit:
    typer.echo(f"nothing is stored for {address}", err=True)
    return typer.Exit(1)


@app.command("export")
def export(address: Address) -> None:
    """Print everything stored about ADDRESS as one JSON object (the request is recorded)."""
    from bot.cli.rights_operator import export_address

    data = asyncio.run(export_address(load_settings(), address.strip()))
    if data is None:
        raise _nothing(address)
    _print(data)


@app.command("erase")
def erase(
    address: Address,
    yes: Annotated[
        bool, typer.Option("--yes", help="Really erase; without it, only say what would go.")
    ] = False,
) -> None:
    """Erase ADDRESS's identity, keeping its complaints as facts; complaints under legal hold stay."""
    from bot.cli.rights_operator import erase_address_now
    from storage.state import LockTimeout

    try:
        report = asyncio.run(erase_address_now(load_settings(), address.strip(), dry_run=not yes))
    except LockTimeout:
        typer.echo(f"the conversation of {address} is busy; nothing was changed, try again", err=True)
        raise typer.Exit(2) from None
    if report is None:
        raise _nothing(address)
    data = report.as_json()
    _print(data)
    if not yes:
        typer.echo("dry run: nothing was changed; add --yes to erase", err=True)
    elif report.held:
        typer.echo(f"kept under legal hold: {', '.join(report.held)}", err=True)
