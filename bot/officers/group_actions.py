"""One action for a whole suggested group: merge into the oldest report, or one status for all.

Each complaint goes through the officer service's own action (its scope check,
lock, history, audit and push), so every reporter of the group hears about it
on their own channel, in their own language. A complaint that cannot take the
action is reported back, the others still go through.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.officers import actions
from bot.officers.auth import Principal
from bot.officers.service import ActionError, ActionResult, Services

MAX_GROUP = 50


@dataclass(frozen=True, slots=True)
class Outcome:
    ticket: str
    result: ActionResult | None
    error: str | None


async def merge_group(
    deps: Services, who: Principal, tickets: list[str], note: str | None = None
) -> list[Outcome]:
    """Merge every other ticket into the first (the oldest report)."""
    into, *rest = tickets[:MAX_GROUP]
    return [await _one(t, actions.merge(deps, who, t, into, note)) for t in rest]


async def status_group(
    deps: Services, who: Principal, tickets: list[str], status: str, note: str | None = None
) -> list[Outcome]:
    return [await _one(t, actions.change_status(deps, who, t, status, note)) for t in tickets[:MAX_GROUP]]


async def _one(ticket: str, call: object) -> Outcome:
    try:
        result = await call  # type: ignore[misc]
    except ActionError as exc:
        return Outcome(ticket, None, exc.pesan)
    return Outcome(ticket, result, None)
