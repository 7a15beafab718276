"""Public queries: every one starts from ``privacy.public_clause``.

Filters are by region (a Kemendagri code or its prefix: "34" or "34.04"),
category, agency code, status and period (Jakarta calendar dates, inclusive).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.engine.dates import JAKARTA
from bot.openness.privacy import public_clause
from bot.openness.records import PublicComplaint, to_public
from storage.models import Agency, Complaint, Reporter, StatusEvent

MAX_PER_PAGE = 100
_Listing = Select[Complaint, str, str, str | None]


@dataclass(frozen=True, slots=True)
class PublicFilter:
    region: str | None = None
    category: str | None = None
    agency: str | None = None
    status: str | None = None
    since: date | None = None
    until: date | None = None

    def as_params(self) -> dict[str, str]:
        """The query-string form (for links and the CSV next to a page)."""
        values = {
            "region": self.region,
            "category": self.category,
            "agency": self.agency,
            "status": self.status,
            "from": self.since.isoformat() if self.since else None,
            "to": self.until.isoformat() if self.until else None,
        }
        return {k: v for k, v in values.items() if v}


@dataclass(frozen=True, slots=True)
class Page:
    items: list[PublicComplaint]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def start_of(day: date) -> datetime:
    """Midnight in Jakarta at the start of ``day``."""
    return datetime.combine(day, time(), JAKARTA)


def conditions(criteria: PublicFilter) -> list[ColumnElement[bool]]:
    where = [public_clause()]
    if criteria.region:
        where.append(Complaint.regency_code.startswith(criteria.region, autoescape=True))
    if criteria.category:
        where.append(Complaint.category == criteria.category)
    if criteria.agency:
        where.append(Agency.code == criteria.agency)
    if criteria.status:
        where.append(Complaint.status == criteria.status)
    if criteria.since:
        where.append(Complaint.created_at >= start_of(criteria.since))
    if criteria.until:
        where.append(Complaint.created_at < start_of(criteria.until + timedelta(days=1)))
    return where


def _base(
    where: Sequence[ColumnElement[bool]],
) -> _Listing:
    return (
        select(Complaint, Agency.code, Agency.name, Reporter.display_name)
        .outerjoin(Agency, Agency.id == Complaint.agency_id)
        .join(Reporter, Reporter.id == Complaint.reporter_id)
        .where(*where)
    )


async def _build(
    session: AsyncSession,
    statement: _Listing,
    today: date,
) -> list[PublicComplaint]:
    rows = (await session.execute(statement)).all()
    ids = [row[0].id for row in rows]
    events: dict[int, list[StatusEvent]] = {i: [] for i in ids}
    if ids:
        found = await session.scalars(
            select(StatusEvent).where(StatusEvent.complaint_id.in_(ids)).order_by(StatusEvent.id)
        )
        for e in found:
            events[e.complaint_id].append(e)
    return [
        # The reporter's name is read only to mask it where they typed it into the text.
        to_public(c, events[c.id], (code, name) if code and name else None, today, [n] if n else [])
        for c, code, name, n in rows
    ]


async def page_of(
    session: AsyncSession,
    criteria: PublicFilter,
    page: int,
    per_page: int,
    today: date,
    *,
    cap: int = MAX_PER_PAGE,
) -> Page:
    per_page = max(1, min(per_page, cap))
    where = conditions(criteria)
    counted = select(func.count()).select_from(Complaint).outerjoin(Agency, Agency.id == Complaint.agency_id)
    total = int(await session.scalar(counted.where(*where)) or 0)
    statement = (
        _base(where)
        .order_by(Complaint.created_at.desc(), Complaint.id.desc())
        .offset((max(page, 1) - 1) * per_page)
        .limit(per_page)
    )
    return Page(await _build(session, statement, today), total, max(page, 1), per_page)


async def one(session: AsyncSession, ticket: str, today: date) -> PublicComplaint | None:
    """A non-confidential complaint by ticket; a confidential one is ``None``, like an unknown one."""
    found = await _build(session, _base([public_clause(), Complaint.ticket == ticket]), today)
    return found[0] if found else None


async def by_tickets(session: AsyncSession, tickets: Sequence[str], today: date) -> list[PublicComplaint]:
    statement = _base([public_clause(), Complaint.ticket.in_(list(tickets))]).order_by(Complaint.id)
    return await _build(session, statement, today)


async def requested_between(
    session: AsyncSession,
    start: datetime,
    end: datetime,
    *,
    categories: Sequence[str] = (),
    statuses: Sequence[str] = (),
    limit: int,
    today: date,
) -> list[PublicComplaint]:
    """Open311's search: requested in ``[start, end]``, optionally by service codes and our statuses."""
    where = [public_clause(), Complaint.created_at >= start, Complaint.created_at <= end]
    if categories:
        where.append(Complaint.category.in_(list(categories)))
    if statuses:
        where.append(Complaint.status.in_(list(statuses)))
    statement = _base(where).order_by(Complaint.created_at.desc(), Complaint.id.desc()).limit(limit)
    return await _build(session, statement, today)


async def agencies(session: AsyncSession) -> list[tuple[str, str]]:
    """Active agencies (code, name), for the filter and the statistics."""
    rows = await session.execute(select(Agency.code, Agency.name).where(Agency.active).order_by(Agency.name))
    return [(code, name) for code, name in rows.all()]


async def regions(session: AsyncSession) -> list[tuple[str, str]]:
    """Kabupaten/kota that have public complaints (code, name), for the filter."""
    statement = (
        select(Complaint.regency_code, Complaint.regency_name)
        .where(public_clause(), Complaint.regency_code.is_not(None), Complaint.regency_name.is_not(None))
        .group_by(Complaint.regency_code, Complaint.regency_name)
        .order_by(Complaint.regency_name)
    )
    return [(code, name) for code, name in (await session.execute(statement)).all() if code and name]
