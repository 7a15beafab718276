"""The statistics, computed in SQL: grouped counts, milestones, percentiles by window functions.

Every query starts from ``Selection.where()`` (the officer's scope in the
statement itself), so an officer's figures never include another agency.
Only aggregated rows come back to Python.

Milestones come from the append-only history: verification is the first move
to ``verified``; the first response is the first move to ``in_progress``,
``needs_info``, ``resolved`` or ``rejected`` (the first substantive answer);
resolution the first move to ``resolved``; a complaint is triaged when it first
leaves ``received``. Percentiles are nearest-rank (``percentile_disc``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Integer, String, and_, case, cast, func, literal, null, or_, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import ColumnElement
from sqlalchemy.sql.selectable import Subquery

from bot.core.workdays import working_days_between
from bot.insights.models import (
    Compliance,
    Count,
    Duration,
    OverdueItem,
    PeriodOut,
    Place,
    Problem,
    Reopens,
    Satisfaction,
    SeriesPoint,
    Statistics,
)
from bot.insights.period import buckets
from bot.insights.scope import Selection, dialect_of
from bot.insights.sql_dates import bucket, local_day, working_calendar
from bot.officers import labels
from bot.officers.deadlines import overdue_clause
from bot.officers.queries import agency_codes
from storage.models import Complaint, StatusEvent

RESPONSES = ("in_progress", "needs_info", "resolved", "rejected")
OVERDUE_LIST = 50
TOP_PROBLEMS = 10


def identity_choice() -> ColumnElement[str]:
    return case(
        (Complaint.anonymous.is_(True), "anonymous"),
        (Complaint.confidential.is_(True), "confidential"),
        else_="public",
    )


def _dimension_columns() -> list[ColumnElement[Any]]:
    return [
        Complaint.category.label("category"),
        Complaint.province_code.label("province"),
        Complaint.province_name.label("province_name"),
        Complaint.regency_code.label("regency"),
        Complaint.regency_name.label("regency_name"),
        Complaint.agency_id.label("agency"),
        Complaint.status.label("status"),
        Complaint.kind.label("kind"),
        Complaint.source_channel.label("channel"),
        identity_choice().label("identity"),
    ]


DIMENSIONS = ("category", "province", "regency", "agency", "status", "kind", "channel", "identity")
_NAMED = {"province": "province_name", "regency": "regency_name"}


async def counts(session: AsyncSession, sel: Selection) -> dict[str, list[Count]]:
    """Complaints received in the period, by each dimension, largest first.

    One statement: the selected rows are read once into a materialised CTE and
    grouped once per dimension (a portable GROUPING SETS)."""
    chosen = select(*_dimension_columns()).where(*sel.where()).cte("chosen").prefix_with("MATERIALIZED")
    parts = []
    for name in DIMENSIONS:
        key = chosen.c[name]
        named = func.max(chosen.c[_NAMED[name]]) if name in _NAMED else null()
        parts.append(
            select(
                literal(name).label("dimension"),
                cast(key, String).label("key"),
                cast(named, String).label("label"),
                func.count().label("n"),
            ).group_by(key)
        )
    rows = (await session.execute(union_all(*parts))).all()
    codes = {str(k): v for k, v in (await agency_codes(session)).items()}
    found: dict[str, list[Count]] = {name: [] for name in DIMENSIONS}
    for dimension, value, label, number in rows:
        found[dimension].append(_count(dimension, value, label, int(number), codes))
    for items in found.values():
        items.sort(key=lambda c: (-c.count, c.key))
    return found


def _count(name: str, key: str | None, label: str | None, number: int, codes: dict[str, str]) -> Count:
    if name == "agency":
        text = codes.get(key, "-") if key is not None else "-"
        return Count(key=text, label=text, count=number)
    return Count(key="" if key is None else key, label=_label(name, key, label), count=number)


def _label(name: str, key: Any, label: Any) -> str:
    if label:
        return str(label)
    tables = {"status": labels.STATUS, "kind": labels.KIND}
    if key is None:
        return "(tidak diketahui)"
    return tables.get(name, {}).get(str(key), str(key))


async def series(session: AsyncSession, sel: Selection) -> list[SeriesPoint]:
    """Complaints received and resolved per day, week or month of the period."""
    dialect, grain = dialect_of(session), sel.period.grain
    received_bucket = bucket(Complaint.created_at, grain, dialect)
    received = dict(
        (await session.execute(
            select(received_bucket, func.count()).where(*sel.where()).group_by(received_bucket)
        )).all()
    )  # fmt: skip
    resolved_bucket = bucket(StatusEvent.at, grain, dialect)
    resolved_day = local_day(StatusEvent.at, dialect)
    resolved_query = (
        select(resolved_bucket, func.count(func.distinct(StatusEvent.complaint_id)))
        .join(Complaint, Complaint.id == StatusEvent.complaint_id)
        .where(*sel.where_now(), StatusEvent.to_status == "resolved")
        .where(resolved_day >= sel.period.start, resolved_day <= sel.period.end)
        .group_by(resolved_bucket)
    )
    resolved = dict((await session.execute(resolved_query)).all())
    return [
        SeriesPoint(start=day, received=int(received.get(day, 0)), resolved=int(resolved.get(day, 0)))
        for day in buckets(sel.period)
    ]


def milestones(sel: Selection) -> Subquery:
    """One row per selected complaint: when it was received, triaged, verified, answered, resolved."""
    at, to = StatusEvent.at, StatusEvent.to_status
    return (
        select(
            Complaint.id.label("id"),
            Complaint.agency_id.label("agency_id"),
            Complaint.created_at.label("created_at"),
            Complaint.verify_due.label("verify_due"),
            Complaint.followup_due.label("followup_due"),
            func.min(case((and_(StatusEvent.from_status == "received", to.is_not(None)), at))).label(
                "triaged_at"
            ),
            func.min(case((to == "verified", at))).label("verified_at"),
            func.min(case((to.in_(RESPONSES), at))).label("responded_at"),
            func.min(case((to == "resolved", at))).label("resolved_at"),
        )
        .join(StatusEvent, StatusEvent.complaint_id == Complaint.id)
        .where(*sel.where())
        .group_by(Complaint.id)
        .subquery("milestones")
    )


async def durations(session: AsyncSession, sel: Selection) -> list[Duration]:
    """Median and 90th percentile of working days to verification, first response and resolution."""
    dialect = dialect_of(session)
    m = milestones(sel)
    end = max(sel.today, sel.period.end)
    calendar = working_calendar(sel.period.start, end)
    cal = [calendar.alias(f"cal{i}") for i in range(4)]
    base = (
        select(
            cal[0].c.n.label("n0"),
            cal[1].c.n.label("verification"),
            cal[2].c.n.label("first_response"),
            cal[3].c.n.label("resolution"),
        )
        .select_from(m)
        .join(cal[0], cal[0].c.day == local_day(m.c.created_at, dialect))
        .outerjoin(cal[1], cal[1].c.day == local_day(m.c.verified_at, dialect))
        .outerjoin(cal[2], cal[2].c.day == local_day(m.c.responded_at, dialect))
        .outerjoin(cal[3], cal[3].c.day == local_day(m.c.resolved_at, dialect))
        .cte("base")
    )
    metrics = ("verification", "first_response", "resolution")
    spans = union_all(
        *(
            select(literal(name).label("metric"), (base.c[name] - base.c.n0).label("days")).where(
                base.c[name].is_not(None)
            )
            for name in metrics
        )
    ).subquery("spans")
    ranked = select(
        spans.c.metric,
        spans.c.days,
        func.row_number().over(partition_by=spans.c.metric, order_by=spans.c.days).label("rn"),
        func.count().over(partition_by=spans.c.metric).label("n"),
    ).subquery("ranked")
    query = select(
        ranked.c.metric,
        func.max(ranked.c.n),
        func.max(case((ranked.c.rn == (ranked.c.n + 1) // 2, ranked.c.days))),
        func.max(case((ranked.c.rn == (ranked.c.n * 9 + 9) // 10, ranked.c.days))),
    ).group_by(ranked.c.metric)
    rows = {row[0]: row for row in (await session.execute(query)).all()}
    return [_duration(name, rows.get(name)) for name in metrics]


def _duration(name: str, row: Any) -> Duration:
    if row is None:
        return Duration(metric=name, count=0, median=None, p90=None)
    return Duration(metric=name, count=int(row[1]), median=_int(row[2]), p90=_int(row[3]))


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _stage_sums(
    done: ColumnElement[Any], due: ColumnElement[Any], sel: Selection, dialect: str
) -> tuple[ColumnElement[int], ColumnElement[int]]:
    day = local_day(done, dialect)
    met = func.sum(case((and_(done.is_not(None), day <= due), 1), else_=0), type_=Integer)
    missed = func.sum(
        case((or_(and_(done.is_not(None), day > due), and_(done.is_(None), due < sel.today)), 1), else_=0),
        type_=Integer,
    )
    return met, missed


async def compliance(session: AsyncSession, sel: Selection) -> list[Compliance]:
    """Deadlines met per agency and stage (verification: triage by verify_due; follow-up: first response)."""
    dialect, m = dialect_of(session), milestones(sel)
    verify = _stage_sums(m.c.triaged_at, m.c.verify_due, sel, dialect)
    follow = _stage_sums(m.c.responded_at, m.c.followup_due, sel, dialect)
    query = select(m.c.agency_id, *verify, *follow).group_by(m.c.agency_id)
    rows = (await session.execute(query)).all()
    codes = await agency_codes(session)
    found: list[Compliance] = []
    totals = [0, 0, 0, 0]
    for agency_id, *sums in rows:
        numbers = [int(x or 0) for x in sums]
        totals = [a + b for a, b in zip(totals, numbers, strict=True)]
        code = codes.get(agency_id, "-") if agency_id is not None else "-"
        found += [
            _compliance(code, "verification", *numbers[:2]),
            _compliance(code, "follow_up", *numbers[2:]),
        ]
    found.sort(key=lambda c: (c.agency or "", c.stage))
    overall = [_compliance(None, "verification", *totals[:2]), _compliance(None, "follow_up", *totals[2:])]
    return [*overall, *found]


def _compliance(agency: str | None, stage: str, met: int, missed: int) -> Compliance:
    share = round(met / (met + missed), 4) if met + missed else None
    return Compliance(agency=agency, stage=stage, met=met, missed=missed, share_met=share)


def _current_due() -> ColumnElement[date]:
    return case(
        (Complaint.status == "received", Complaint.verify_due),
        (Complaint.status == "verified", Complaint.followup_due),
        else_=None,
    )


async def overdue(session: AsyncSession, sel: Selection) -> tuple[int, list[OverdueItem]]:
    """Complaints past their current deadline today (the whole scope, not just the period), worst first."""
    where = [*sel.where_now(), overdue_clause(sel.today)]
    total = await session.scalar(select(func.count()).select_from(Complaint).where(*where))
    query = (
        select(Complaint.ticket, Complaint.agency_id, Complaint.status, _current_due().label("due"))
        .where(*where)
        .order_by(_current_due().asc(), Complaint.id)
        .limit(OVERDUE_LIST)
    )
    codes = await agency_codes(session)
    items = [
        OverdueItem(
            ticket=ticket,
            agency=codes.get(agency_id) if agency_id is not None else None,
            status=status,
            stage="verification" if status == "received" else "follow_up",
            due_date=due,
            days_over=working_days_between(due, sel.today),
        )
        for ticket, agency_id, status, due in (await session.execute(query)).all()
    ]
    return int(total or 0), items


async def reopens(session: AsyncSession, sel: Selection) -> Reopens:
    """Of the complaints resolved at least once, how many the reporter reopened."""
    resolved_ever = select(StatusEvent.complaint_id).where(StatusEvent.to_status == "resolved")
    query = select(
        func.count(), func.sum(case((Complaint.reopen_count > 0, 1), else_=0), type_=Integer)
    ).where(*sel.where(), Complaint.id.in_(resolved_ever))
    resolved, reopened = (await session.execute(query)).one()
    resolved, reopened = int(resolved or 0), int(reopened or 0)
    return Reopens(
        resolved=resolved, reopened=reopened, rate=round(reopened / resolved, 4) if resolved else None
    )


async def satisfaction(session: AsyncSession, sel: Selection) -> Satisfaction:
    """The reporters' 1-5 ratings given in the chat when confirming a resolution."""
    query = (
        select(Complaint.rating, func.count())
        .where(*sel.where(), Complaint.rating.is_not(None))
        .group_by(Complaint.rating)
    )
    by_rating = {int(r or 0): int(n) for r, n in (await session.execute(query)).all()}
    rated = sum(by_rating.values())
    mean = round(sum(r * n for r, n in by_rating.items()) / rated, 2) if rated else None
    happy = by_rating.get(4, 0) + by_rating.get(5, 0)
    return Satisfaction(
        rated=rated,
        mean=mean,
        share_satisfied=round(happy / rated, 4) if rated else None,
        by_rating={str(r): by_rating.get(r, 0) for r in range(1, 6)},
    )


async def top_problems(session: AsyncSession, sel: Selection, limit: int = TOP_PROBLEMS) -> list[Problem]:
    """The category and kabupaten/kota pairs that recur most in the period."""
    regency = func.coalesce(Complaint.regency_name, Complaint.regency_code, "(tidak diketahui)")
    query = (
        select(Complaint.category, regency, func.count())
        .where(*sel.where())
        .group_by(Complaint.category, regency)
        .order_by(func.count().desc(), Complaint.category)
        .limit(limit)
    )
    return [
        Problem(category=c, regency=str(r), count=int(n)) for c, r, n in (await session.execute(query)).all()
    ]


async def places(session: AsyncSession, sel: Selection) -> list[Place]:
    """Per kabupaten/kota, the mean position of complaints with coordinates (the map's points)."""
    query = (
        select(
            Complaint.regency_code,
            func.max(Complaint.regency_name),
            func.avg(Complaint.latitude),
            func.avg(Complaint.longitude),
            func.count(),
        )
        .where(*sel.where(), Complaint.latitude.is_not(None), Complaint.longitude.is_not(None))
        .group_by(Complaint.regency_code)
    )
    return [
        Place(
            regency=code or "", label=name or code or "-", latitude=float(lat), longitude=float(lon), count=n
        )
        for code, name, lat, lon, n in (await session.execute(query)).all()
    ]


async def statistics(session: AsyncSession, sel: Selection) -> Statistics:
    """Every figure of the statistics page for ``sel``."""
    by = await counts(session, sel)
    overdue_total, overdue_items = await overdue(session, sel)
    return Statistics(
        period=PeriodOut(start=sel.period.start, end=sel.period.end, grain=sel.period.grain),
        total=sum(c.count for c in by["status"]),
        counts=by,
        series=await series(session, sel),
        durations=await durations(session, sel),
        compliance=await compliance(session, sel),
        overdue_total=overdue_total,
        overdue=overdue_items,
        reopens=await reopens(session, sel),
        satisfaction=await satisfaction(session, sel),
        top_problems=await top_problems(session, sel),
        places=await places(session, sel),
    )
