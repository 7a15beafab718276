"""Which agency handles a complaint: routing rules by category and region.

A rule matches when its category is the complaint's (or "") and its region
prefix starts the complaint's regency code (or is ""). The most specific
match wins: a category-specific rule beats a region-only one, and among
equals the longest region prefix wins. The rule ("", "") is the fallback.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Agency
from storage.officers_models import RoutingRule


def region_digits(code: str | None) -> str:
    """Kemendagri codes come dotted ("34.04"); rules store the digits ("3404")."""
    return "".join(ch for ch in code or "" if ch.isdigit())


def specificity(rule: RoutingRule) -> tuple[bool, int]:
    return (bool(rule.category), len(rule.region_prefix))


def best_rule(rules: list[RoutingRule], category: str, regency_code: str | None) -> RoutingRule | None:
    """The most specific of ``rules`` matching; pure, for tests and explanations."""
    region = region_digits(regency_code)
    matching = [
        r for r in rules if r.category in {"", category} and region.startswith(region_digits(r.region_prefix))
    ]
    return max(matching, key=specificity, default=None)


async def route(session: AsyncSession, category: str, regency_code: str | None) -> Agency | None:
    """The active agency the routing rules give for ``category`` in ``regency_code``."""
    rules = (
        await session.scalars(
            select(RoutingRule)
            .join(Agency, Agency.id == RoutingRule.agency_id)
            .where(RoutingRule.category.in_(["", category]), Agency.active.is_(True))
        )
    ).all()
    rule = best_rule(list(rules), category, regency_code)
    return await session.get(Agency, rule.agency_id) if rule else None
