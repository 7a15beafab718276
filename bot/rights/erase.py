"""Erasure (UU PDP): remove a reporter's identity, keep the complaint as facts.

Kept: ticket, category, region, status, dates, history and officers' notes,
the description with identifiers masked. Removed: name, phone, NIK, chat
address, transcripts, photos and their metadata, outbox rows, provider message
ids, coordinates, and the state-store entries named by the address. Complaints
under legal hold are left whole, and then so is the reporter's identity.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.officers.audit import audit
from bot.rights import holdings, requests
from bot.rights.plan import ErasurePlan, plan
from bot.rights.scrub import KnownIdentity
from storage.models import Attachment, Complaint, Message, OutboxMessage, Reporter, StatusEvent
from storage.officers_models import OfficerNotification
from storage.state import StateStore

log = logging.getLogger("lapor.rights")
# State-store names that hold an address (conversation, rate limits, the rate-limit notice claim).
_ADDRESS_KEYS = ("conv", "rate", "status", "rate-notice")
TERMINAL_OUTBOX = ("sent", "delivered", "undelivered", "failed", "dead")
ORPHAN_WINDOW = timedelta(days=2)


@dataclass(slots=True)
class ErasureReport:
    """What an erasure did (or, in a dry run, would do); counts and tickets only."""

    address: str
    complaints_anonymised: int = 0
    messages_erased: int = 0
    attachments_erased: int = 0
    held: list[str] = field(default_factory=list)
    tickets_anonymised: list[str] = field(default_factory=list)
    outbox_erased: int = 0
    identity_erased: bool = False
    dry_run: bool = False

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    def detail(self) -> dict[str, Any]:
        """For the request record: the same without the address."""
        return {k: v for k, v in self.as_json().items() if k not in {"address", "dry_run"}}


async def erase_in_session(
    session: AsyncSession, address: str, *, actor: str, now: datetime, dry_run: bool = False
) -> ErasureReport | None:
    """Erase ``address`` in the caller's transaction (not committed); None when nothing is stored."""
    reporter = await holdings.reporter_at(session, address)
    if reporter is None:
        return None
    complaints = await holdings.complaints_of(session, reporter.id)
    conversations = [c.id for c in await holdings.conversations_of(session, reporter.id)]
    decided = plan(complaints, conversations)
    report = ErasureReport(address, held=decided.held_tickets, dry_run=dry_run)
    report.tickets_anonymised = [c.ticket for c in decided.anonymise]
    report.complaints_anonymised = len(decided.anonymise)
    report.identity_erased = decided.erases_identity
    if dry_run:
        await _count(session, report, decided, address)
        return report
    identity = identity_of(reporter)
    await anonymise_complaints(session, decided.anonymise, identity, now)
    report.messages_erased, report.attachments_erased = await erase_dialogues(
        session, decided.conversations, [c.id for c in decided.anonymise]
    )
    report.outbox_erased = await _erase_outbox(session, address, decided)
    if decided.erases_identity:
        anonymise_reporter(reporter, now)
    requests.record(
        session,
        reporter_id=reporter.id,
        kind="erase",
        actor=actor,
        outcome="held" if decided.held else "done",
        now=now,
        **report.detail(),
    )
    log.info(
        "reporter data erased",
        extra={"complaints": report.complaints_anonymised, "held": len(report.held), "actor": actor},
    )
    return report


def identity_of(reporter: Reporter) -> KnownIdentity:
    return KnownIdentity.of(reporter.address, reporter.display_name, reporter.phone, reporter.nik_masked)


def anonymise_reporter(reporter: Reporter, now: datetime) -> None:
    """The reporter row stays (complaints point at it) with nothing that identifies them."""
    reporter.address = f"erased:{reporter.id}"
    reporter.display_name = reporter.phone = reporter.nik_hash = reporter.nik_masked = None
    reporter.consented_at = reporter.last_inbound_at = None
    reporter.erased_at = now


async def anonymise_complaints(
    session: AsyncSession, complaints: Sequence[Complaint], identity: KnownIdentity, now: datetime
) -> None:
    """Mask identifiers in what is kept of each complaint, its history and its notifications."""
    for complaint in complaints:
        complaint.title = (identity.scrub(complaint.title) or "")[:200]
        complaint.description = identity.scrub(complaint.description) or ""
        raw = complaint.description_raw.decode("utf-8", "backslashreplace")
        complaint.description_raw = (identity.scrub(raw) or "").encode()
        complaint.location_text = identity.scrub(complaint.location_text)
        complaint.latitude = complaint.longitude = None
        complaint.source_message_ids = []
        complaint.anonymised_at = now
        events = await session.scalars(select(StatusEvent).where(StatusEvent.complaint_id == complaint.id))
        for event in events:
            event.public_note = identity.scrub(event.public_note)
            event.internal_note = identity.scrub(event.internal_note)
        notes = await session.scalars(
            select(OfficerNotification).where(OfficerNotification.complaint_id == complaint.id)
        )
        for note in notes:
            note.text = identity.scrub(note.text) or ""
        audit(session, None, "reporter_erased", now, complaint_id=complaint.id, ticket=complaint.ticket)


async def erase_dialogues(
    session: AsyncSession, conversation_ids: Sequence[str], complaint_ids: Sequence[int]
) -> tuple[int, int]:
    """Delete transcripts and photos; (messages, attachments) deleted."""
    messages = 0
    if conversation_ids:
        result = await session.execute(delete(Message).where(Message.conversation_id.in_(conversation_ids)))
        messages = _rowcount(result)
    result = await session.execute(
        delete(Attachment).where(holdings.attachments_clause(conversation_ids, complaint_ids))
    )
    return messages, _rowcount(result)


async def _erase_outbox(session: AsyncSession, address: str, decided: ErasurePlan) -> int:
    """Every row to the address or about an anonymised complaint, except held complaints' pushes."""
    clause = holdings.outbox_clause(address, [c.id for c in decided.anonymise])
    if decided.held:
        clause = and_(
            clause,
            or_(OutboxMessage.complaint_id.is_(None), OutboxMessage.complaint_id.not_in(decided.held_ids)),
        )
    return _rowcount(await session.execute(delete(OutboxMessage).where(clause)))


async def _count(session: AsyncSession, report: ErasureReport, decided: ErasurePlan, address: str) -> None:
    complaint_ids = [c.id for c in decided.anonymise]
    if decided.conversations:
        report.messages_erased = (
            await session.scalar(
                select(func.count())
                .select_from(Message)
                .where(Message.conversation_id.in_(decided.conversations))
            )
            or 0
        )
    report.attachments_erased = (
        await session.scalar(
            select(func.count())
            .select_from(Attachment)
            .where(holdings.attachments_clause(decided.conversations, complaint_ids))
        )
        or 0
    )
    report.outbox_erased = (
        await session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(holdings.outbox_clause(address, complaint_ids))
        )
        or 0
    )


async def forget_address(state: StateStore, address: str) -> None:
    """Remove the conversation, rate counters and claims named by ``address`` from the state store."""
    for kind in _ADDRESS_KEYS:
        await state.forget(f"{kind}:{address}")


async def drop_orphan_outbox(session: AsyncSession, now: datetime) -> int:
    """Sent rows to an address no reporter has any more (the confirmation of an erasure).

    Only rows attempted in the last two days: the range ``ix_outbox_due`` serves, and
    the purge runs every few minutes.
    """
    orphan = ~select(Reporter.id).where(Reporter.address == OutboxMessage.address).exists()
    statement = delete(OutboxMessage).where(
        OutboxMessage.status.in_(TERMINAL_OUTBOX),
        OutboxMessage.next_attempt_at >= now - ORPHAN_WINDOW,
        orphan,
    )
    return _rowcount(await session.execute(statement))


async def leave_no_trace(sessions: async_sessionmaker[AsyncSession]) -> None:
    """On SQLite, fold the WAL back so no older page image of an erased row stays on disk.

    With ``secure_delete`` (set on every connection) freed cells are zeroed; the
    checkpoint runs outside a transaction, on the driver's connection.
    """
    engine = sessions.kw.get("bind")
    if not isinstance(engine, AsyncEngine) or engine.dialect.name != "sqlite":
        return
    async with engine.connect() as conn:
        raw = (await conn.get_raw_connection()).driver_connection
        if raw is not None:
            await raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")


async def erase_address(
    sessions: async_sessionmaker[AsyncSession],
    state: StateStore,
    address: str,
    *,
    actor: str,
    now: datetime,
    dry_run: bool = False,
) -> ErasureReport | None:
    """Erase from the command line: under the conversation lock, so no turn interleaves."""
    async with state.lock(f"conv:{address}"):
        async with sessions() as session:
            report = await erase_in_session(session, address, actor=actor, now=now, dry_run=dry_run)
            if report is None or dry_run:
                return report
            await session.commit()
        await forget_address(state, address)
    await leave_no_trace(sessions)
    return report


def _rowcount(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)
