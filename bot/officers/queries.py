"""Listing, filtering, searching and counting complaints, always inside the officer's scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.engine.dates import JAKARTA
from bot.officers.auth import Principal
from bot.officers.deadlines import overdue_clause
from bot.officers.routing import region_digits
from bot.officers.scope import scoped, visible
from storage.models import Agency, Complaint

MAX_PAGE = 200
_CODE_PARTS = (2, 2, 2, 4)  # province, regency, district, village digits


@dataclass(frozen=True, slots=True)
class ComplaintFilter:
    """What an officer asked for; every field optional."""

    status: tuple[str, ...] = ()
    category: str | None = None
    region: str | None = None
    agency: str | None = None
    created_from: date | None = None
    created_to: date | None = None
    overdue: bool | None = None
    q: str | None = None
    sort: str = "newest"  # newest | due


def dotted(code: str) -> str:
    """ "3404" -> "34.04", the form complaints store region codes in."""
    digits, parts = region_digits(code), []
    for size in _CODE_PARTS:
        if not digits:
            break
        parts.append(digits[:size])
        digits = digits[size:]
    return ".".join(parts)


def _region(code: str) -> ColumnElement[bool]:
    value = dotted(code)
    level = value.count(".")
    if level == 0:
        # The province, also when only the regency code was recorded.
        return or_(Complaint.province_code == value, Complaint.regency_code.startswith(f"{value}."))
    column = (Complaint.regency_code, Complaint.district_code, Complaint.village_code)[level - 1]
    return column == value


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, JAKARTA)


def conditions(f: ComplaintFilter, today: date) -> list[ColumnElement[bool]]:
    """SQL conditions for ``f`` (added to the scope, never replacing it)."""
    where: list[ColumnElement[bool]] = []
    if f.status:
        where.append(Complaint.status.in_(f.status))
    if f.category:
        where.append(Complaint.category == f.category)
    if f.region and region_digits(f.region):
        where.append(_region(f.region))
    if f.agency:
        agency = select(Agency.id).where(Agency.code == f.agency.strip().upper()).scalar_subquery()
        where.append(Complaint.agency_id == agency)
    if f.created_from:
        where.append(Complaint.created_at >= _start_of(f.created_from))
    if f.created_to:
        where.append(Complaint.created_at < _start_of(f.created_to + timedelta(days=1)))
    if f.overdue is not None:
        clause = overdue_clause(today)
        where.append(clause if f.overdue else ~clause)
    if f.q and f.q.strip():
        text = f.q.strip()[:200]
        where.append(
            or_(
                Complaint.ticket.icontains(text, autoescape=True),
                Complaint.title.icontains(text, autoescape=True),
                Complaint.description.icontains(text, autoescape=True),
                Complaint.location_text.icontains(text, autoescape=True),
                Complaint.regency_name.icontains(text, autoescape=True),
            )
        )
    return where


def _due_column() -> Any:
    return case(
        (Complaint.status == "received", Complaint.verify_due),
        (Complaint.status == "verified", Complaint.followup_due),
        else_=None,
    )


def filtered(who: Principal, f: ComplaintFilter, today: date) -> Select[Complaint]:
    query = scoped(who).where(*conditions(f, today))
    if f.sort == "due":
        return query.order_by(_due_column().asc().nulls_last(), Complaint.id.desc())
    return query.order_by(Complaint.created_at.desc(), Complaint.id.desc())


async def search(
    session: AsyncSession, who: Principal, f: ComplaintFilter, today: date, limit: int = 50, offset: int = 0
) -> tuple[list[Complaint], int]:
    """One page of matching complaints and the total count (same scope, same filter)."""
    limit = max(1, min(limit, MAX_PAGE))
    rows = (await session.scalars(filtered(who, f, today).limit(limit).offset(max(offset, 0)))).all()
    total = await session.scalar(
        select(func.count()).select_from(Complaint).where(visible(who), *conditions(f, today))
    )
    return list(rows), int(total or 0)


async def stats(session: AsyncSession, who: Principal, today: date) -> dict[str, Any]:
    """Counts by status and overdue, within ``who``'s scope."""
    by_status = dict(
        (
            await session.execute(
                select(Complaint.status, func.count()).where(visible(who)).group_by(Complaint.status)
            )
        ).all()
    )
    overdue = await session.scalar(
        select(func.count()).select_from(Complaint).where(visible(who), overdue_clause(today))
    )
    return {
        "total": sum(by_status.values()),
        "overdue": int(overdue or 0),
        "by_status": {str(k): int(v) for k, v in by_status.items()},
    }


async def agency_codes(session: AsyncSession) -> dict[int, str]:
    return dict((await session.execute(select(Agency.id, Agency.code))).all())


async def agencies(session: AsyncSession) -> list[Agency]:
    return list(
        (await session.scalars(select(Agency).where(Agency.active.is_(True)).order_by(Agency.code))).all()
    )
