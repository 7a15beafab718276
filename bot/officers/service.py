"""Flow 2: an officer's action becomes history, audit and a push, atomically.

Every action runs the same way: find the complaint within the officer's
scope, take the reporter's conversation lock (the one the message handler
takes, so a reply cannot interleave), change the complaint, append a history
event and an audit entry, queue the push, commit, point the conversation at
the push's question, and send after commit.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.delivery.channels import connector_for, window_of
from bot.delivery.dispatcher import Dispatcher
from bot.engine.state import conversation_key
from bot.officers import pending_question as followup_state
from bot.officers.audit import audit
from bot.officers.auth import Principal
from bot.officers.pushes import YES_NO, Push, enqueue_push
from bot.officers.scope import find
from dialogues.texts import Texts
from storage.models import Agency, Complaint, Reporter, StatusEvent
from storage.officers_models import IdempotencyKey
from storage.state import LockTimeout, StateStore

log = logging.getLogger("lapor.officers")


class ActionError(Exception):
    """An action that cannot be done; ``status_code`` is the HTTP answer."""

    status_code = 400

    def __init__(self, message: str, pesan: str | None = None) -> None:
        super().__init__(message)
        self.message = message  # English, for API clients
        self.pesan = pesan or "Tindakan ini tidak dapat dilakukan."  # Indonesian, for the dashboard


class NotFound(ActionError):
    status_code = 404


class Forbidden(ActionError):
    status_code = 403


class Conflict(ActionError):
    status_code = 409


class Invalid(ActionError):
    status_code = 422


class Busy(ActionError):
    status_code = 503


class Services(Protocol):
    """What actions need from the runtime (``bot.runtime.process.Runtime`` fits)."""

    @property
    def sessions(self) -> async_sessionmaker[AsyncSession]: ...
    @property
    def state(self) -> StateStore: ...
    @property
    def texts(self) -> Texts: ...
    @property
    def clock(self) -> Callable[[], datetime]: ...
    @property
    def dispatcher(self) -> Dispatcher: ...


@dataclass(frozen=True, slots=True)
class ActionResult:
    ticket: str
    status: str
    previous_status: str
    event_id: int
    push: str  # queued | suppressed | none

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Idempotency:
    """An ``Idempotency-Key`` and the fingerprint of the request it came with."""

    key: str
    request_hash: str

    @classmethod
    def of(cls, key: str, path: str, body: dict[str, Any]) -> Idempotency:
        canonical = json.dumps({"path": path, "body": body}, sort_keys=True, ensure_ascii=False)
        return cls(key, hashlib.sha256(canonical.encode()).hexdigest())


@dataclass(slots=True)
class Change:
    """What a mutation did: the history event, and what to tell the reporter."""

    event: StatusEvent
    push: Push | None
    agency: Agency | None


Mutation = Callable[[AsyncSession, Complaint, datetime], Awaitable[Change]]


async def act(
    deps: Services,
    who: Principal,
    ticket: str,
    mutate: Mutation,
    idempotency: Idempotency | None = None,
) -> ActionResult:
    """Run ``mutate`` on ``ticket`` as ``who``: the one path every change takes."""
    if not who.can_write:
        raise Forbidden("this account may only read", "Akun ini hanya dapat membaca.")
    async with deps.sessions() as session:
        complaint, reporter = await _load(session, who, ticket)
        stored = await _stored(session, who, idempotency)
    if stored is not None:
        return stored
    try:
        # The lock the message handler takes: a reply to the push cannot overtake the change.
        async with deps.state.lock(conversation_key(reporter.address)):
            result, row_ids, reporter, complaint = await _transaction(deps, who, ticket, mutate, idempotency)
            await _sync(deps, reporter, complaint)
    except LockTimeout:
        raise Busy(
            "the reporter's conversation is busy; try again", "Percakapan pelapor sedang sibuk; coba lagi."
        ) from None
    deps.dispatcher.send_soon(row_ids)
    return result


async def _load(session: AsyncSession, who: Principal, ticket: str) -> tuple[Complaint, Reporter]:
    complaint = await find(session, who, ticket)
    if complaint is None:
        raise NotFound("complaint not found", "Laporan tidak ditemukan.")
    reporter = await session.get(Reporter, complaint.reporter_id)
    assert reporter is not None  # a foreign key, never null
    return complaint, reporter


async def _transaction(
    deps: Services, who: Principal, ticket: str, mutate: Mutation, idempotency: Idempotency | None
) -> tuple[ActionResult, list[int], Reporter, Complaint]:
    async with deps.sessions() as session:
        complaint, reporter = await _load(session, who, ticket)
        stored = await _stored(session, who, idempotency)
        if stored is not None:  # the same request won the race for the lock
            return stored, [], reporter, complaint
        now, previous = deps.clock(), complaint.status
        change = await mutate(session, complaint, now)
        row = None
        if change.push is not None:
            window = window_of(connector_for(deps.dispatcher.connectors, reporter.address))
            row = enqueue_push(
                session, deps.texts, reporter, complaint, change.agency, change.push, now, who, window
            )
        await session.flush()
        pushed = "queued" if row else ("suppressed" if change.push else "none")
        result = ActionResult(complaint.ticket, complaint.status, previous, change.event.id, pushed)
        if idempotency is not None:
            _remember(session, who, idempotency, result, now)
        try:
            await session.commit()
        except IntegrityError:
            if idempotency is None:
                raise
            raise Conflict("this Idempotency-Key is being used by another request") from None
    log.info("complaint changed", extra={"ticket": result.ticket, "actor": who.actor, "to": result.status})
    return result, [row.id] if row else [], reporter, complaint


def _remember(
    session: AsyncSession, who: Principal, idempotency: Idempotency, result: ActionResult, now: datetime
) -> None:
    session.add(
        IdempotencyKey(
            officer_id=who.officer_id,
            key=idempotency.key,
            request_hash=idempotency.request_hash,
            status_code=200,
            response=result.as_dict(),
            created_at=now,
        )
    )


async def _stored(
    session: AsyncSession, who: Principal, idempotency: Idempotency | None
) -> ActionResult | None:
    if idempotency is None:
        return None
    row = await session.get(IdempotencyKey, (who.officer_id, idempotency.key))
    if row is None:
        return None
    if row.request_hash != idempotency.request_hash:
        raise Invalid(
            "this Idempotency-Key was used for a different request",
            "Kunci idempoten dipakai permintaan lain.",
        )
    return ActionResult(**row.response)


async def _sync(deps: Services, reporter: Reporter, complaint: Complaint) -> None:
    try:
        yes_no = [[deps.texts.render(o.title_key or o.payload, reporter.language), o.payload] for o in YES_NO]
        await followup_state.sync(deps.state, reporter, complaint.ticket, complaint.status, yes_no)
    except Exception:
        # The change is committed and its push queued; only the chat shortcut is lost.
        log.exception("could not update the conversation", extra={"ticket": complaint.ticket})


def event(
    session: AsyncSession,
    complaint: Complaint,
    who: Principal,
    now: datetime,
    *,
    action: str = "status",
    from_status: str | None = None,
    to_status: str | None = None,
    note: str | None = None,
    internal_note: str | None = None,
) -> StatusEvent:
    """Append a history event for ``complaint`` to the caller's transaction."""
    row = StatusEvent(
        complaint_id=complaint.id,
        at=now,
        actor=who.actor,
        action=action,
        from_status=from_status,
        to_status=to_status,
        public_note=note or None,
        internal_note=internal_note or None,
    )
    session.add(row)
    return row


async def agency_of(session: AsyncSession, complaint: Complaint) -> Agency | None:
    return await session.get(Agency, complaint.agency_id) if complaint.agency_id else None


async def agency_by_code(session: AsyncSession, code: str) -> Agency | None:
    return await session.scalar(
        select(Agency).where(Agency.code == code.strip().upper(), Agency.active.is_(True))
    )


def record(
    session: AsyncSession, who: Principal, action: str, complaint: Complaint, now: datetime, **detail: Any
) -> None:
    audit(session, who, action, now, complaint_id=complaint.id, ticket=complaint.ticket, **detail)
