"""``lapor agencies``: agencies (instansi) and the routing rules that pick them."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.officers import in_session

app = typer.Typer(help="Agencies and routing rules.", no_args_is_help=True)


@app.command("seed")
def seed(
    file: Annotated[Path | None, typer.Option(help="A YAML file like bot/seed/agencies.yaml.")] = None,
) -> None:
    """Add the agencies and rules of FILE (default: the shipped example set); idempotent."""
    from bot.officers.seed import DEFAULT_SEED, SeedResult, load_seed
    from bot.officers.seed import seed as run_seed

    entries = load_seed(file or DEFAULT_SEED)

    async def work(session: AsyncSession) -> SeedResult:
        return await run_seed(session, entries, datetime.now(UTC))

    result = in_session(work)
    typer.echo(
        f"agencies: {result.agencies_added} added, {result.agencies_updated} updated; "
        f"routing rules: {result.rules_added} added"
    )


@app.command("list")
def list_agencies() -> None:
    """Agencies and the rules that route to them."""
    from storage.models import Agency
    from storage.officers_models import RoutingRule

    async def work(session: AsyncSession) -> list[tuple[Agency, list[RoutingRule]]]:
        agencies = (await session.scalars(select(Agency).order_by(Agency.code))).all()
        rules = (await session.scalars(select(RoutingRule))).all()
        return [(a, [r for r in rules if r.agency_id == a.id]) for a in agencies]

    for agency, rules in in_session(work):
        matches = ", ".join(f"{r.category or '*'}@{r.region_prefix or '*'}" for r in rules) or "-"
        typer.echo(f"{agency.code:<18} {agency.name}\n{'':<18} rules: {matches}")


@app.command("rule")
def rule(
    agency: str,
    category: Annotated[str, typer.Option(help="Category code; empty for any.")] = "",
    region: Annotated[str, typer.Option(help="Region code prefix, e.g. 3404; empty for any.")] = "",
) -> None:
    """Route CATEGORY in REGION to AGENCY (replaces the rule for that pair)."""
    from bot.officers.routing import region_digits
    from storage.models import Agency
    from storage.officers_models import RoutingRule

    async def work(session: AsyncSession) -> bool:
        target = await session.scalar(select(Agency).where(Agency.code == agency.strip().upper()))
        if target is None:
            return False
        prefix = region_digits(region)
        existing = await session.scalar(
            select(RoutingRule).where(RoutingRule.category == category, RoutingRule.region_prefix == prefix)
        )
        if existing is None:
            session.add(
                RoutingRule(
                    category=category, region_prefix=prefix, agency_id=target.id, created_at=datetime.now(UTC)
                )
            )
        else:
            existing.agency_id = target.id
        return True

    if not in_session(work):
        typer.echo(f"error: no agency {agency}", err=True)
        raise typer.Exit(1)
    typer.echo(f"{category or '*'}@{region or '*'} -> {agency.upper()}")


@app.command("route")
def route(
    category: str, region: Annotated[str, typer.Argument(help="Regency code, e.g. 34.04")] = ""
) -> None:
    """Which agency a complaint of CATEGORY in REGION would go to."""
    from bot.officers.routing import route as pick

    async def work(session: AsyncSession) -> str:
        agency = await pick(session, category, region or None)
        return f"{agency.code} ({agency.name})" if agency else "no agency (no rule matches)"

    typer.echo(in_session(work))
