"""Agencies and routing: the seed, the most specific rule, and a complaint routed as it is filed."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.officers.lifecycle import OFFICER_TARGETS, TRANSITIONS, Status, allowed, next_statuses
from bot.officers.routing import route
from bot.officers.seed import load_seed, seed
from bot.runtime.process import Runtime
from storage.models import Agency, Complaint
from storage.officers_models import RoutingRule
from tests.support.officers import file_by_chat

CASES = [
    ("infrastructure", "34.04", "PEMKAB-SLEMAN"),  # the regency handles its roads
    ("utilities", "34.04", "PLN"),  # electricity is national everywhere
    ("other", "34.04", "PEMKAB-SLEMAN"),  # anything else in Sleman
    ("infrastructure", "33.74", "PUPR"),  # no regional rule for Semarang
    ("health", "31.71", "PEMPROV-DKI"),  # Jakarta's cities are the province's
    ("land", "31.71", "ATR-BPN"),
    ("corruption", "32.73", "KPK"),
    ("other", "35.78", "LAPOR"),  # the fallback
    ("infrastructure", None, "PUPR"),
]


async def test_the_most_specific_rule_wins(runtime: Runtime) -> None:
    async with runtime.sessions() as session:
        found = [await route(session, category, regency) for category, regency, _ in CASES]
    assert [a.code if a else None for a in found] == [agency for _, _, agency in CASES]


async def test_seeding_is_idempotent_and_keeps_changed_rules(runtime: Runtime) -> None:
    async with runtime.sessions() as session:
        agencies = await session.scalar(select(func.count()).select_from(Agency))
        rule = (await session.scalars(select(RoutingRule).where(RoutingRule.category == "utilities"))).one()
        rule.agency_id = (await session.scalars(select(Agency.id).where(Agency.code == "LAPOR"))).one()
        result = await seed(session, load_seed(), runtime.clock())
        await session.commit()
        again = await session.scalar(select(func.count()).select_from(Agency))
        kept = await route(session, "utilities", "34.04")

    assert agencies == len(load_seed()) == again
    assert (result.agencies_added, result.agencies_updated, result.rules_added) == (0, 0, 0)
    assert kept is not None and kept.code == "LAPOR"


async def test_a_complaint_filed_by_chat_is_routed(runtime: Runtime) -> None:
    ticket = await file_by_chat(runtime, "rest:warga-sleman")

    async with runtime.sessions() as session:
        code = await session.scalar(
            select(Agency.code)
            .join(Complaint, Complaint.agency_id == Agency.id)
            .where(Complaint.ticket == ticket)
        )
    assert code == "PEMKAB-SLEMAN"


def test_the_lifecycle_table() -> None:
    assert allowed("received", "verified") and allowed("verified", "in_progress")
    assert allowed("in_progress", "resolved") and allowed("resolved", "in_progress")
    assert not allowed("received", "resolved")
    assert not allowed("resolved", "closed")  # the reporter's (or the system's) move
    assert allowed("resolved", "closed", by_officer=False)
    assert not allowed("closed", "in_progress") and not allowed("rejected", "verified")
    assert not allowed("received", "nonsense") and not allowed("nonsense", "verified")
    assert next_statuses("received") == [Status.VERIFIED, Status.NEEDS_INFO, Status.REJECTED]
    assert set(TRANSITIONS) == set(Status) and Status.CLOSED not in OFFICER_TARGETS
    assert all(not TRANSITIONS[s] for s in (Status.CLOSED, Status.REJECTED))
