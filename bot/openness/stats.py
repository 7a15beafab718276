"""Headline figures for the public: counted over public complaints only, small cells suppressed.

"On time" is the agency's first follow-up (in progress, resolved or closed)
by the complaint's follow-up due date (5 working days after forwarding); a
complaint whose due date has not come and that has no follow-up yet is not
counted either way. A cell below ``privacy.MIN_CELL`` is published as ``None``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.engine.dates import local_date
from bot.openness.privacy import MIN_CELL, suppress
from bot.openness.queries import PublicFilter, conditions, start_of
from bot.openness.records import FOLLOWED_UP, Deadline, deadline_state
from storage.models import Agency, Complaint, StatusEvent


@dataclass(frozen=True, slots=True)
class AgencyFigures:
    code: str
    name: str
    complaints: int | None
    decided: int
    on_time: int

    @property
    def on_time_share(self) -> float | None:
        """Share of decided complaints followed up on time; ``None`` below the small-cell bar."""
        return round(self.on_time / self.decided, 3) if self.decided >= MIN_CELL else None


@dataclass(frozen=True, slots=True)
class Figures:
    total: int
    this_month: int
    month: str
    agencies: list[AgencyFigures]
    ratings: int | None
    satisfaction: float | None  # mean rating 1-5
    by_category: dict[str, int | None] = field(default_factory=dict)
    by_status: dict[str, int | None] = field(default_factory=dict)
    by_region: dict[str, int | None] = field(default_factory=dict)


async def figures(session: AsyncSession, criteria: PublicFilter, now: datetime) -> Figures:
    today = local_date(now)
    where = conditions(criteria)
    rows = (
        await session.execute(
            select(
                Complaint.id,
                Agency.code,
                Agency.name,
                Complaint.followup_due,
                Complaint.status,
                Complaint.rating,
                Complaint.regency_name,
                Complaint.category,
                Complaint.created_at,
            )
            .outerjoin(Agency, Agency.id == Complaint.agency_id)
            .where(*where)
        )
    ).all()
    first = await _first_followups(session, [r[0] for r in rows])
    month_start = start_of(today.replace(day=1))
    ratings = [r.rating for r in rows if r.rating]
    rated = len(ratings)
    return Figures(
        total=len(rows),
        this_month=sum(1 for r in rows if r.created_at >= month_start),
        month=today.strftime("%Y-%m"),
        agencies=_per_agency([tuple(r) for r in rows], first, today),
        ratings=suppress(rated),
        satisfaction=round(sum(ratings) / rated, 2) if rated >= MIN_CELL else None,
        by_category=_cells(Counter(r.category for r in rows)),
        by_status=_cells(Counter(r.status for r in rows)),
        by_region=_cells(Counter(r.regency_name or "-" for r in rows)),
    )


async def _first_followups(session: AsyncSession, ids: list[int]) -> dict[int, datetime]:
    if not ids:
        return {}
    statement = (
        select(StatusEvent.complaint_id, func.min(StatusEvent.at))
        .where(StatusEvent.complaint_id.in_(ids), StatusEvent.to_status.in_(sorted(FOLLOWED_UP)))
        .group_by(StatusEvent.complaint_id)
    )
    found: dict[int, datetime] = {}
    for complaint_id, at in (await session.execute(statement)).all():
        # SQLite hands an aggregate back as text: no column type to convert it.
        found[complaint_id] = at if isinstance(at, datetime) else _parse(str(at))
    return found


def _parse(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)  # stored as UTC


def _per_agency(
    rows: Sequence[tuple[Any, ...]], first: dict[int, datetime], today: date
) -> list[AgencyFigures]:
    tally: dict[tuple[str, str], list[int]] = {}
    for row in rows:
        complaint_id, code, name, due, status = row[0], row[1], row[2], row[3], row[4]
        if not code:
            continue
        counts = tally.setdefault((code, name), [0, 0, 0])
        counts[0] += 1
        if status == "rejected":
            continue
        state = deadline_state(due, first.get(complaint_id), today)
        if state in (Deadline.MET, Deadline.MISSED):
            counts[1] += 1
            counts[2] += state is Deadline.MET
    return [
        AgencyFigures(code, name, suppress(n), decided, on_time)
        for (code, name), (n, decided, on_time) in sorted(tally.items(), key=lambda item: item[0][1])
    ]


def _cells(counter: Counter[str]) -> dict[str, int | None]:
    return {key: suppress(n) for key, n in sorted(counter.items())}
