"""Periodic jobs of the worker: auto-close, reminders about overdue complaints, clean-up.

A resolved complaint whose reporter has not answered "is it fixed?" within
10 working days (weekends and Indonesian national holidays excluded) closes
itself, with a history event and a push. Complaints past their current
deadline leave one notification per deadline for their agency's officers.
Every function takes ``now``; none reads the clock.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.workdays import AUTO_CLOSE_DAYS, working_days_between
from bot.delivery.dispatcher import Dispatcher
from bot.engine.dates import format_date, local_date
from bot.officers.actions import status_mutation
from bot.officers.auth import SYSTEM
from bot.officers.deadlines import current_due, overdue_clause
from bot.officers.lifecycle import Status
from bot.officers.notifications import already_notified, notify
from bot.officers.service import ActionError, Change, Mutation, Services, act
from dialogues.texts import Texts
from storage.models import Complaint
from storage.officers_models import IdempotencyKey, OfficerSession
from storage.state import StateStore

log = logging.getLogger("lapor.housekeeping")
# 10 working days never fit in fewer calendar days than this: a cheap SQL pre-filter.
_MIN_CALENDAR_DAYS = timedelta(days=AUTO_CLOSE_DAYS // 5 * 7)
AUTO_CLOSE_NOTE = "Ditutup otomatis: tidak ada jawaban pelapor dalam 10 hari kerja sejak selesai."
IDEMPOTENCY_TTL = timedelta(days=7)
_DUE_NAMES = {"received": "verifikasi", "verified": "tindak lanjut pertama"}


@dataclass(slots=True)
class _Pinned:
    """The runtime's services with the clock pinned to ``now``."""

    sessions: async_sessionmaker[AsyncSession]
    state: StateStore
    texts: Texts
    clock: Callable[[], datetime]
    dispatcher: Dispatcher


def _pinned(deps: Services, now: datetime) -> _Pinned:
    return _Pinned(deps.sessions, deps.state, deps.texts, lambda: now, deps.dispatcher)


def expired(resolved_at: datetime | None, now: datetime) -> bool:
    """Whether the reporter's time to answer after ``resolved_at`` has run out."""
    if resolved_at is None:
        return False
    return working_days_between(local_date(resolved_at), local_date(now)) >= AUTO_CLOSE_DAYS


def _auto_close(now: datetime) -> Mutation:
    close = status_mutation(
        SYSTEM, Status.CLOSED, None, AUTO_CLOSE_NOTE, by_officer=False, push_key="push.auto_closed"
    )

    async def mutate(session: AsyncSession, complaint: Complaint, at: datetime) -> Change:
        # Re-checked under the lock: the reporter may have answered meanwhile.
        if complaint.status != Status.RESOLVED or not expired(complaint.resolved_at, now):
            raise ActionError("no longer due for auto-close")
        return await close(session, complaint, at)

    return mutate


async def auto_close(deps: Services, now: datetime) -> list[str]:
    """Close every resolved complaint unanswered for 10 working days; their tickets."""
    async with deps.sessions() as session:
        rows = (
            await session.execute(
                select(Complaint.ticket, Complaint.resolved_at).where(
                    Complaint.status == Status.RESOLVED, Complaint.resolved_at <= now - _MIN_CALENDAR_DAYS
                )
            )
        ).all()
    closed = []
    pinned = _pinned(deps, now)
    for ticket, resolved_at in rows:
        if not expired(resolved_at, now):
            continue
        try:
            await act(pinned, SYSTEM, ticket, _auto_close(now))
        except ActionError:
            continue
        closed.append(ticket)
    if closed:
        log.info("auto-closed %d complaints", len(closed))
    return closed


def _reminder(complaint: Complaint, due: date) -> str:
    what = _DUE_NAMES.get(complaint.status, complaint.status)
    return f"Laporan {complaint.ticket} melewati tenggat {what} ({format_date(due, 'id')})."


async def remind_overdue(sessions: async_sessionmaker[AsyncSession], now: datetime) -> int:
    """One notification per complaint and deadline passed; how many were added."""
    today, added = local_date(now), 0
    async with sessions() as session:
        overdue = (await session.scalars(select(Complaint).where(overdue_clause(today)))).all()
        for complaint in overdue:
            due = current_due(complaint)
            key = f"overdue:{complaint.status}:{due}"
            if due is None or await already_notified(session, complaint.id, key):
                continue
            try:
                async with session.begin_nested():
                    notify(session, complaint, "overdue", _reminder(complaint, due), now, dedup_key=key)
            except IntegrityError:  # another worker reminded at the same moment
                continue
            added += 1
        await session.commit()
    if added:
        log.info("overdue reminders: %d", added)
    return added


async def purge_expired(sessions: async_sessionmaker[AsyncSession], now: datetime) -> None:
    """Forget ended dashboard sessions and idempotency keys older than a week."""
    async with sessions() as session:
        await session.execute(delete(OfficerSession).where(OfficerSession.expires_at <= now))
        await session.execute(
            delete(IdempotencyKey).where(IdempotencyKey.created_at <= now - IDEMPOTENCY_TTL)
        )
        await session.commit()


class Housekeeping:
    """The worker's periodic pass, at most once per ``every`` across all processes."""

    def __init__(self, deps: Services, every: timedelta = timedelta(minutes=5)) -> None:
        self.deps = deps
        self.every = every
        self._next: datetime | None = None
        # Further periodic jobs (retention), run after these, in the same once-per-slot pass.
        self.jobs: list[Callable[[datetime], Awaitable[None]]] = []

    async def __call__(self) -> None:
        now = self.deps.clock()
        if self._next is not None and now < self._next:
            return
        self._next = now + self.every
        slot = int(now.timestamp() // self.every.total_seconds())
        if not await self.deps.state.claim(f"housekeeping:{slot}", self.every.total_seconds() * 2):
            return
        await auto_close(self.deps, now)
        await remind_overdue(self.deps.sessions, now)
        await purge_expired(self.deps.sessions, now)
        for job in self.jobs:
            await job(now)
