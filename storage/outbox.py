"""The transactional outbox: messages are written with the turn, sent after commit.

A row is ``queued`` in the same transaction as the change that caused it.
Senders then claim rows with a lease (``sending``), send them and record the
outcome; a sender that dies mid-send loses its lease and another one retries
the row, so every message goes out at least once. Delivery reports from the
provider move a row forward only.

Per citizen address only the oldest unsent row is ever claimable, so the
messages of one conversation leave in the order they were written. A caller
sending several rows for one address therefore claims, sends and marks in a
loop until nothing more is claimed.

A ``worker`` name must be unique per process (host, pid and a random part),
and a lease must outlast the send timeout: the claim is what the ``mark_*``
functions check, so a sender that was too slow finds its outcome ignored.

Every function takes the time as an argument; none of them reads the clock.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Update, and_, delete, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import aliased

from storage.models import HeldReceipt, OutboxMessage

MAX_ATTEMPTS = 8
# A report held this long without its message's id turning up is for no message of ours.
HOLD_RECEIPTS_FOR = timedelta(days=1)


class OutboxStatus(StrEnum):
    """Where a message stands; ``queued`` and ``sending`` are the unsent states."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    DELIVERED = "delivered"
    UNDELIVERED = "undelivered"
    FAILED = "failed"
    DEAD = "dead"


_UNSENT = (OutboxStatus.QUEUED, OutboxStatus.SENDING)
_FAILURES = (OutboxStatus.FAILED, OutboxStatus.DEAD, OutboxStatus.UNDELIVERED)
# Delivery reports only ever move a row up this ladder; the rest are terminal.
_LADDER = (OutboxStatus.QUEUED, OutboxStatus.SENDING, OutboxStatus.SENT, OutboxStatus.DELIVERED)
_RECEIPT_TERMINAL = (OutboxStatus.UNDELIVERED, OutboxStatus.FAILED)


def row(
    *,
    address: str,
    channel: str,
    payload: dict[str, Any],
    now: datetime,
    kind: str = "reply",
    complaint_id: int | None = None,
) -> dict[str, Any]:
    """The column values of a queued message, for a multi-row insert."""
    return {
        "address": address,
        "channel": channel,
        "kind": kind,
        "payload": payload,
        "complaint_id": complaint_id,
        "status": OutboxStatus.QUEUED.value,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
        "updated_at": now,
    }


def enqueue(
    session: AsyncSession,
    *,
    address: str,
    channel: str,
    payload: dict[str, Any],
    now: datetime,
    kind: str = "reply",
    complaint_id: int | None = None,
) -> OutboxMessage:
    """Add a queued message to the caller's transaction (it commits it)."""
    message = OutboxMessage(
        **row(
            address=address, channel=channel, payload=payload, now=now, kind=kind, complaint_id=complaint_id
        )
    )
    session.add(message)
    return message


def _claimable(now: datetime) -> ColumnElement[bool]:
    """Due rows whose address has no older unsent row (the head of each queue)."""
    older = aliased(OutboxMessage)
    due = or_(
        and_(OutboxMessage.status == OutboxStatus.QUEUED, OutboxMessage.next_attempt_at <= now),
        # A sender died mid-send: its lease ran out.
        and_(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.claimed_until < now),
    )
    # Conservative under concurrency: rows only ever leave the unsent states, so a
    # stale snapshot can block a row for one round but never release one early.
    head = ~exists().where(
        older.address == OutboxMessage.address,
        older.id < OutboxMessage.id,
        older.status.in_(_UNSENT),
    )
    return and_(due, head)


async def _claim(
    sessions: async_sessionmaker[AsyncSession],
    where: ColumnElement[bool],
    *,
    worker: str,
    now: datetime,
    lease: timedelta,
    limit: int,
) -> list[OutboxMessage]:
    # PostgreSQL: rows another sender is claiming right now are skipped, not
    # waited for. SQLite: BEGIN IMMEDIATE (storage.db) serialises claimers.
    picked = (
        select(OutboxMessage.id)
        .where(where)
        .order_by(OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    statement = (
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(picked.scalar_subquery()))
        .values(
            status=OutboxStatus.SENDING,
            claimed_by=worker,
            claimed_until=now + lease,
            attempts=OutboxMessage.attempts + 1,
            updated_at=now,
        )
        .returning(OutboxMessage)
        .execution_options(synchronize_session=False)
    )
    async with sessions.begin() as session:
        rows = list((await session.scalars(statement)).all())
        # Detached before commit, so they stay readable whatever expire_on_commit says.
        session.expunge_all()
    return sorted(rows, key=lambda row: row.id)


async def claim_due(
    sessions: async_sessionmaker[AsyncSession],
    *,
    worker: str,
    now: datetime,
    lease: timedelta,
    limit: int = 50,
) -> list[OutboxMessage]:
    """Claim up to ``limit`` due rows for ``worker``, oldest first, in one transaction.

    Due rows are queued ones whose ``next_attempt_at`` has come and sending
    ones whose lease expired. Only the oldest unsent row of each address is
    claimable. Claimed rows are ``sending`` until ``now + lease`` with one more
    attempt counted; the caller dead-letters those past ``MAX_ATTEMPTS``.
    """
    return await _claim(sessions, _claimable(now), worker=worker, now=now, lease=lease, limit=limit)


async def claim_ids(
    sessions: async_sessionmaker[AsyncSession],
    ids: Sequence[int],
    *,
    worker: str,
    now: datetime,
    lease: timedelta,
) -> list[OutboxMessage]:
    """Claim these just-committed rows (the send right after commit), same rules.

    Rows that are not due, not the head of their address's queue, or held by
    another sender are skipped.
    """
    if not ids:
        return []
    where = and_(OutboxMessage.id.in_(list(ids)), _claimable(now))
    return await _claim(sessions, where, worker=worker, now=now, lease=lease, limit=len(ids))


async def _changed(sessions: async_sessionmaker[AsyncSession], statement: Update) -> bool:
    """Run an UPDATE in its own transaction; whether it touched a row."""
    async with sessions.begin() as session:
        changed = (await session.scalars(statement.returning(OutboxMessage.id))).all()
    return bool(changed)


async def _update_claimed(
    sessions: async_sessionmaker[AsyncSession], row_id: int, worker: str, **values: Any
) -> bool:
    """Apply ``values`` only while ``worker`` still holds the row's claim."""
    statement = (
        update(OutboxMessage)
        .where(
            OutboxMessage.id == row_id,
            OutboxMessage.status == OutboxStatus.SENDING,
            OutboxMessage.claimed_by == worker,
        )
        .values(claimed_until=None, **values)
        .execution_options(synchronize_session=False)
    )
    return await _changed(sessions, statement)


async def mark_sent(
    sessions: async_sessionmaker[AsyncSession],
    row_id: int,
    *,
    worker: str,
    provider_message_id: str | None,
    now: datetime,
) -> bool:
    """Record a successful send. False (nothing changed) if the claim was lost.

    A lease that merely expired still counts as held until another sender
    re-claims the row: the message did go out, so recording it avoids a resend.
    """
    return await _update_claimed(
        sessions,
        row_id,
        worker,
        status=OutboxStatus.SENT,
        provider_message_id=provider_message_id,
        sent_at=now,
        last_error=None,
        updated_at=now,
    )


async def mark_retry(
    sessions: async_sessionmaker[AsyncSession],
    row_id: int,
    *,
    worker: str,
    error: str,
    delay: timedelta,
    now: datetime,
) -> bool:
    """Put the row back in the queue for ``now + delay`` (use ``backoff`` or retry_after)."""
    return await _update_claimed(
        sessions,
        row_id,
        worker,
        status=OutboxStatus.QUEUED,
        next_attempt_at=now + delay,
        claimed_by=None,
        last_error=error,
        updated_at=now,
    )


async def mark_failed(
    sessions: async_sessionmaker[AsyncSession],
    row_id: int,
    *,
    worker: str,
    error: str,
    now: datetime,
    dead: bool = False,
) -> bool:
    """Give up on the row: ``failed`` (permanent error) or ``dead`` (attempts exhausted)."""
    return await _update_claimed(
        sessions,
        row_id,
        worker,
        status=OutboxStatus.DEAD if dead else OutboxStatus.FAILED,
        last_error=error,
        updated_at=now,
    )


def backoff(
    attempts: int, *, base: float = 2.0, cap: float = 600.0, rng: random.Random | None = None
) -> timedelta:
    """Exponential backoff with full jitter: uniform in [0, min(cap, base * 2**(attempts-1))]."""
    ceiling = min(cap, base * 2.0 ** min(max(attempts - 1, 0), 64))
    draw = (rng or random).uniform(0.0, ceiling)
    return timedelta(seconds=draw)


def _earlier_states(status: OutboxStatus) -> tuple[OutboxStatus, ...]:
    """The states a delivery report with ``status`` may move a row out of."""
    if status in _RECEIPT_TERMINAL:
        return (OutboxStatus.QUEUED, OutboxStatus.SENDING, OutboxStatus.SENT)
    if status in _LADDER:
        return _LADDER[: _LADDER.index(status)]
    raise ValueError(f"{status!r} is not a delivery report status")


async def apply_receipt(
    sessions: async_sessionmaker[AsyncSession],
    provider_message_id: str,
    status: str,
    *,
    error: str | None,
    now: datetime,
    reason: str | None = None,
) -> bool:
    """Apply a provider delivery report; True if the row moved forward.

    ``status`` is one of queued, sending, sent, delivered, undelivered,
    failed (the caller maps provider words onto these; anything else is a
    ValueError). Reports arrive late and out of order: a row only moves up
    queued < sending < sent < delivered, undelivered and failed end it, and a
    delivered row stays delivered.

    Reports also arrive early: a provider may call back before the sender has
    stored the id its API returned. A report for an id no row has yet is held
    (False now) and applied when ``mark_sent`` stores the id (``release_held``).
    """
    statement = _receipt_update(provider_message_id, OutboxStatus(status), error, now)
    if await _changed(sessions, statement):
        return True
    if await _known(sessions, provider_message_id):
        return False  # late or repeated: the row is already past this report
    held = await _hold(sessions, provider_message_id, status, error, reason, now)
    # The sender may have stored the id meanwhile; now that the report is held, one
    # of the two sides sees the other's commit, so the report cannot fall between them.
    if not await _changed(sessions, statement):
        return False
    async with sessions.begin() as session:
        await session.execute(delete(HeldReceipt).where(HeldReceipt.id == held))
    return True


def _receipt_update(
    provider_message_id: str, target: OutboxStatus, error: str | None, now: datetime
) -> Update:
    values: dict[str, Any] = {"status": target, "updated_at": now}
    if error is not None:
        values["last_error"] = error
    if target in (OutboxStatus.SENT, OutboxStatus.DELIVERED):
        values["sent_at"] = func.coalesce(OutboxMessage.sent_at, now)
    return (
        update(OutboxMessage)
        .where(
            OutboxMessage.provider_message_id == provider_message_id,
            OutboxMessage.status.in_(_earlier_states(target)),
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )


async def _known(sessions: async_sessionmaker[AsyncSession], provider_message_id: str) -> bool:
    statement = select(exists().where(OutboxMessage.provider_message_id == provider_message_id))
    async with sessions() as session:
        return bool(await session.scalar(statement))


async def _hold(
    sessions: async_sessionmaker[AsyncSession],
    provider_message_id: str,
    status: str,
    error: str | None,
    reason: str | None,
    now: datetime,
) -> int:
    held = HeldReceipt(
        provider_message_id=provider_message_id, status=status, error=error, reason=reason, received_at=now
    )
    async with sessions.begin() as session:
        await session.execute(delete(HeldReceipt).where(HeldReceipt.received_at < now - HOLD_RECEIPTS_FOR))
        session.add(held)
        await session.flush()
        return held.id


async def release_held(
    sessions: async_sessionmaker[AsyncSession], provider_message_id: str
) -> list[HeldReceipt]:
    """Take the reports held for ``provider_message_id``, oldest first (call once it is stored)."""
    statement = (
        delete(HeldReceipt)
        .where(HeldReceipt.provider_message_id == provider_message_id)
        .returning(HeldReceipt)
        .execution_options(synchronize_session=False)
    )
    async with sessions.begin() as session:
        rows = list((await session.scalars(statement)).all())
        session.expunge_all()
    return sorted(rows, key=lambda r: r.id)


async def pending_for(sessions: async_sessionmaker[AsyncSession], address: str) -> int:
    """How many messages to ``address`` are not sent yet (queued or sending)."""
    statement = (
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.address == address, OutboxMessage.status.in_(_UNSENT))
    )
    async with sessions() as session:
        return int(await session.scalar(statement) or 0)


async def failures(sessions: async_sessionmaker[AsyncSession], *, limit: int = 100) -> list[OutboxMessage]:
    """Failed, dead and undelivered messages, most recently changed first."""
    statement = (
        select(OutboxMessage)
        .where(OutboxMessage.status.in_(_FAILURES))
        .order_by(OutboxMessage.updated_at.desc(), OutboxMessage.id.desc())
        .limit(limit)
    )
    async with sessions() as session:
        rows = list((await session.scalars(statement)).all())
        session.expunge_all()
    return rows
