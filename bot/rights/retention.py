"""Retention (UU PDP): complaints closed longer than ``LAPOR_RETENTION_DAYS`` lose their identity.

A complaint that is closed or rejected, not under legal hold and not yet
anonymised is due once ``retention_days`` have passed since it was closed
(rejected ones: since their last change). Its transcript, photos and outbox
rows go and its texts are masked, as in an erasure; a reporter with nothing
left but anonymised complaints, silent for as long, is erased entirely.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.rights import holdings, requests
from bot.rights.erase import (
    anonymise_complaints,
    drop_orphan_outbox,
    erase_dialogues,
    erase_in_session,
    forget_address,
    identity_of,
    leave_no_trace,
)
from storage.models import Complaint, OutboxMessage, Reporter
from storage.state import StateStore

log = logging.getLogger("lapor.retention")
DEFAULT_DAYS = 730
_ENDED = ("closed", "rejected")


@dataclass(slots=True)
class RetentionReport:
    """What a pass did or would do: tickets and counts, never identities."""

    cutoff: str
    dry_run: bool
    complaints_anonymised: list[str] = field(default_factory=list)
    reporters_erased: int = 0
    held_skipped: int = 0

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def cutoff(now: datetime, days: int) -> datetime:
    return now - timedelta(days=days)


def ended_at(complaint: Complaint) -> datetime:
    """When the complaint stopped being worked on: closed, or its last change when rejected."""
    return complaint.closed_at or complaint.updated_at


def due(complaint: Complaint, before: datetime) -> bool:
    """Pure: whether retention anonymises ``complaint`` now."""
    return (
        complaint.status in _ENDED
        and not complaint.legal_hold
        and complaint.anonymised_at is None
        and ended_at(complaint) <= before
    )


async def run_retention(
    sessions: async_sessionmaker[AsyncSession],
    state: StateStore,
    now: datetime,
    days: int,
    *,
    dry_run: bool = False,
) -> RetentionReport:
    """One pass over due complaints and silent reporters who filed nothing; a dry run changes nothing."""
    before = cutoff(now, days)
    report = RetentionReport(cutoff=before.isoformat(), dry_run=dry_run)
    async with sessions() as session:
        due_by_reporter = await _due_by_reporter(session, before)
        silent = await _silent_without_complaints(session, before)
        report.held_skipped = await _held(session, before)
        report.complaints_anonymised = [c.ticket for due in due_by_reporter.values() for c in due]
        if dry_run:
            report.reporters_erased = len(silent)  # those with due complaints are decided on the run
            return report
        erased = await _apply(session, due_by_reporter, silent, now, before)
        await session.commit()
    report.reporters_erased = len(erased)
    for address in erased:
        await forget_address(state, address)
    if report.complaints_anonymised or erased:
        await leave_no_trace(sessions)
        log.info("retention: %d complaints anonymised", len(report.complaints_anonymised))
    return report


async def _due_by_reporter(session: AsyncSession, before: datetime) -> dict[int, list[Complaint]]:
    found: dict[int, list[Complaint]] = {}
    for complaint in (await session.scalars(_candidates(before))).all():
        if due(complaint, before):
            found.setdefault(complaint.reporter_id, []).append(complaint)
    return found


async def _apply(
    session: AsyncSession,
    due_by_reporter: dict[int, list[Complaint]],
    silent: list[str],
    now: datetime,
    before: datetime,
) -> list[str]:
    """Anonymise and erase in the session; the former addresses of erased reporters."""
    erased = []
    for reporter_id, complaints in due_by_reporter.items():
        address = await _purge(session, reporter_id, complaints, now, before)
        if address is not None:
            erased.append(address)
    for address in silent:
        await erase_in_session(session, address, actor=requests.SYSTEM, now=now)
        erased.append(address)
    await drop_orphan_outbox(session, now)
    return erased


def _candidates(before: datetime) -> Any:
    return select(Complaint).where(
        Complaint.status.in_(_ENDED),
        Complaint.legal_hold.is_(False),
        Complaint.anonymised_at.is_(None),
        func.coalesce(Complaint.closed_at, Complaint.updated_at) <= before,
    )


async def _silent_without_complaints(session: AsyncSession, before: datetime) -> list[str]:
    """Reporters who never filed anything (abandoned drafts, declined consent) and went quiet."""
    has_complaint = select(Complaint.id).where(Complaint.reporter_id == Reporter.id).exists()
    statement = select(Reporter.address).where(
        Reporter.erased_at.is_(None),
        func.coalesce(Reporter.last_inbound_at, Reporter.created_at) <= before,
        ~has_complaint,
    )
    return list((await session.scalars(statement)).all())


async def _held(session: AsyncSession, before: datetime) -> int:
    statement = (
        select(func.count())
        .select_from(Complaint)
        .where(
            Complaint.status.in_(_ENDED),
            Complaint.legal_hold.is_(True),
            func.coalesce(Complaint.closed_at, Complaint.updated_at) <= before,
        )
    )
    return int(await session.scalar(statement) or 0)


async def _purge(
    session: AsyncSession, reporter_id: int, complaints: list[Complaint], now: datetime, before: datetime
) -> str | None:
    """Anonymise ``complaints``; erase the reporter too when nothing else of theirs is live.

    Returns the reporter's former address when they were erased (for the state store).
    """
    reporter = await session.get(Reporter, reporter_id)
    assert reporter is not None  # a foreign key, never null
    address = reporter.address
    await anonymise_complaints(session, complaints, identity_of(reporter), now)
    await erase_dialogues(session, [c.conversation_id for c in complaints], [c.id for c in complaints])
    await session.execute(
        delete(OutboxMessage).where(OutboxMessage.complaint_id.in_([c.id for c in complaints]))
    )
    requests.record(
        session,
        reporter_id=reporter_id,
        kind="retention",
        actor=requests.SYSTEM,
        outcome="done",
        now=now,
        tickets=[c.ticket for c in complaints],
    )
    if reporter.erased_at is None and await _nothing_live(session, reporter, before):
        await erase_in_session(session, address, actor=requests.SYSTEM, now=now)
        return address
    return None


async def _nothing_live(session: AsyncSession, reporter: Reporter, before: datetime) -> bool:
    """Every complaint anonymised (or about to be) and the reporter silent since ``before``."""
    await session.flush()
    live = [c for c in await holdings.complaints_of(session, reporter.id) if c.anonymised_at is None]
    silent = reporter.last_inbound_at is None or reporter.last_inbound_at <= before
    return not live and silent


class RetentionJob:
    """The worker's periodic purge (run from the housekeeping pass, once across workers)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], state: StateStore, days: int) -> None:
        self.sessions, self.state, self.days = sessions, state, days

    async def __call__(self, now: datetime) -> None:
        await run_retention(self.sessions, self.state, now, self.days)
