"""Hotspots: open complaints in the officer's scope that describe one problem in one place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.engine.dates import JAKARTA, local_date
from bot.insights.duplicates import Report, groups
from bot.officers.auth import Principal
from bot.officers.lifecycle import OPEN
from bot.officers.scope import visible
from storage.models import Complaint

LOOK_BACK_DAYS = 60
MAX_CANDIDATES = 3000


@dataclass(frozen=True, slots=True)
class Member:
    ticket: str
    title: str
    status: str
    regency: str | None
    received: date


@dataclass(frozen=True, slots=True)
class Hotspot:
    """A suggested group, oldest report first (the one to merge the others into)."""

    members: list[Member]

    @property
    def tickets(self) -> list[str]:
        return [m.ticket for m in self.members]


async def hotspots(session: AsyncSession, who: Principal, today: date) -> list[Hotspot]:
    """Suggested groups among the open complaints of the last ``LOOK_BACK_DAYS`` days."""
    since = datetime.combine(today - timedelta(days=LOOK_BACK_DAYS), time.min, JAKARTA)
    rows = (
        await session.execute(
            select(
                Complaint.ticket, Complaint.title, Complaint.description, Complaint.created_at,
                Complaint.category, Complaint.regency_code, Complaint.regency_name, Complaint.district_code,
                Complaint.latitude, Complaint.longitude, Complaint.status,
            )
            .where(visible(who), Complaint.status.in_(list(OPEN)), Complaint.created_at >= since)
            .order_by(Complaint.created_at, Complaint.id)
            .limit(MAX_CANDIDATES)
        )
    ).all()  # fmt: skip
    members, reports = {}, []
    for t, title, text, created, category, regency, regency_name, district, lat, lon, status in rows:
        day = local_date(created)
        members[t] = Member(t, title, status, regency_name or regency, day)
        reports.append(Report(t, f"{title}. {text}", day, category, regency, district, lat, lon))
    found = [
        Hotspot(sorted((members[r.key] for r in g), key=lambda m: (m.received, m.ticket)))
        for g in groups(reports)
    ]
    return found


def group_of(found: list[Hotspot], ticket: str) -> Hotspot | None:
    return next((h for h in found if ticket in h.tickets), None)
