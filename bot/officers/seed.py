"""Load agencies and routing rules from YAML, idempotently.

Agencies are matched by code (their names are updated); a routing rule is
added only when no rule for its (category, region) exists, so rules that
staff changed since are kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.officers.routing import region_digits
from storage.models import Agency
from storage.officers_models import RoutingRule

DEFAULT_SEED = Path(__file__).parent / "agencies.yaml"


@dataclass(slots=True)
class SeedResult:
    agencies_added: int = 0
    agencies_updated: int = 0
    rules_added: int = 0


def load_seed(path: Path = DEFAULT_SEED) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    agencies: list[dict[str, Any]] = data.get("agencies", [])
    for entry in agencies:
        if not entry.get("code") or not entry.get("name"):
            raise ValueError(f"{path}: every agency needs a code and a name: {entry!r}")
    return agencies


async def seed(session: AsyncSession, entries: list[dict[str, Any]], now: datetime) -> SeedResult:
    """Add or update ``entries`` in the caller's transaction."""
    result = SeedResult()
    rules = {(r.category, r.region_prefix) for r in (await session.scalars(select(RoutingRule))).all()}
    for entry in entries:
        agency = await _agency(session, entry, now, result)
        region = region_digits(str(entry.get("region") or ""))
        for category in entry.get("categories") or []:
            if (category, region) not in rules:
                rules.add((category, region))
                session.add(
                    RoutingRule(category=category, region_prefix=region, agency_id=agency.id, created_at=now)
                )
                result.rules_added += 1
    await session.flush()
    return result


async def _agency(session: AsyncSession, entry: dict[str, Any], now: datetime, result: SeedResult) -> Agency:
    code, name = str(entry["code"]).upper(), str(entry["name"])
    region = region_digits(str(entry.get("region") or "")) or None
    agency = await session.scalar(select(Agency).where(Agency.code == code))
    if agency is None:
        agency = Agency(code=code, name=name, region_code=region, active=True, created_at=now)
        session.add(agency)
        await session.flush()
        result.agencies_added += 1
    elif (agency.name, agency.region_code) != (name, region):
        agency.name, agency.region_code = name, region
        result.agencies_updated += 1
    return agency


async def seed_if_empty(sessions: async_sessionmaker[AsyncSession], now: datetime) -> SeedResult | None:
    """Seed the shipped example set when there are no agencies yet (first start)."""
    async with sessions() as session:
        if await session.scalar(select(func.count()).select_from(Agency)):
            return None
        try:
            result = await seed(session, load_seed(), now)
            await session.commit()
        except IntegrityError:  # another process seeded at the same moment
            await session.rollback()
            return None
        return result
