"""A copy of everything stored about one address (the right of access), as JSON-ready data."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.rights import holdings
from storage.models import Attachment, Complaint, OutboxMessage, Reporter, RightsRequest, StatusEvent
from storage.officers_models import AuditEntry, OfficerNotification

_ATTACHMENT_FIELDS = (
    "id",
    "conversation_id",
    "complaint_id",
    "content_type",
    "size",
    "sha256",
    "width",
    "height",
)


async def export(
    session: AsyncSession, address: str, conversation_state: dict[str, Any] | None
) -> dict[str, Any] | None:
    """Every section the interface names, or None when nothing is stored for ``address``."""
    reporter = await holdings.reporter_at(session, address)
    if reporter is None:
        return None
    complaints = await holdings.complaints_of(session, reporter.id)
    complaint_ids = [c.id for c in complaints]
    conversation_ids = [c.id for c in await holdings.conversations_of(session, reporter.id)]
    tickets = {c.id: c.ticket for c in complaints}
    return {
        "address": address,
        "reporter": {**_reporter(reporter), "conversation_state": conversation_state},
        "complaints": [await _complaint(session, c) for c in complaints],
        "messages": [
            _row(m, ("id", "conversation_id", "direction", "text", "created_at"))
            for m in await holdings.messages_in(session, conversation_ids)
        ],
        "attachments": await _attachments(session, conversation_ids, complaint_ids),
        "outbox": await _outbox(session, address, complaint_ids),
        "audit": await _audit(session, complaint_ids, tickets),
        "requests": await _requests(session, reporter.id),
    }


def _reporter(reporter: Reporter) -> dict[str, Any]:
    fields = (
        "address", "channel", "display_name", "phone", "nik_masked", "language", "consented_at",
        "opted_out", "unreachable", "last_inbound_at", "created_at", "erased_at",
    )  # fmt: skip
    return {**_row(reporter, fields), "nik_stored": reporter.nik_hash is not None}


async def _complaint(session: AsyncSession, complaint: Complaint) -> dict[str, Any]:
    fields = (
        "ticket", "kind", "category", "title", "description", "location_text", "province_name",
        "regency_code", "regency_name", "district_name", "village_name", "latitude", "longitude",
        "incident_date", "confidential", "anonymous", "status", "language", "source_channel",
        "verify_due", "forward_due", "followup_due", "resolved_at", "closed_at", "rating",
        "rejection_reason", "legal_hold", "anonymised_at", "created_at", "updated_at",
    )  # fmt: skip
    events = await session.scalars(
        select(StatusEvent).where(StatusEvent.complaint_id == complaint.id).order_by(StatusEvent.id)
    )
    notes = await session.scalars(
        select(OfficerNotification)
        .where(OfficerNotification.complaint_id == complaint.id)
        .order_by(OfficerNotification.id)
    )
    return {
        **_row(complaint, fields),
        "description_raw": _plain(complaint.description_raw),
        "history": [
            _row(e, ("at", "actor", "action", "from_status", "to_status", "public_note", "internal_note"))
            for e in events
        ],
        "notifications": [_row(n, ("kind", "text", "created_at")) for n in notes],
    }


async def _attachments(
    session: AsyncSession, conversation_ids: list[str], complaint_ids: list[int]
) -> list[dict[str, Any]]:
    columns = [getattr(Attachment, f) for f in (*_ATTACHMENT_FIELDS, "created_at")]
    statement = select(*columns).where(holdings.attachments_clause(conversation_ids, complaint_ids))
    rows = await session.execute(statement.order_by(Attachment.id))
    return [{k: _plain(v) for k, v in row._mapping.items()} for row in rows]


async def _outbox(session: AsyncSession, address: str, complaint_ids: list[int]) -> list[dict[str, Any]]:
    fields = (
        "id", "address", "channel", "kind", "payload", "status", "attempts", "last_error",
        "provider_message_id", "created_at", "sent_at",
    )  # fmt: skip
    rows = await session.scalars(
        select(OutboxMessage).where(holdings.outbox_clause(address, complaint_ids)).order_by(OutboxMessage.id)
    )
    return [_row(r, fields) for r in rows]


async def _audit(
    session: AsyncSession, complaint_ids: list[int], tickets: dict[int, str]
) -> list[dict[str, Any]]:
    if not complaint_ids:
        return []
    rows = await session.scalars(
        select(AuditEntry).where(AuditEntry.complaint_id.in_(complaint_ids)).order_by(AuditEntry.id)
    )
    return [
        {**_row(r, ("at", "actor", "action", "detail")), "ticket": tickets.get(r.complaint_id or 0)}
        for r in rows
    ]


async def _requests(session: AsyncSession, reporter_id: int) -> list[dict[str, Any]]:
    rows = await session.scalars(
        select(RightsRequest).where(RightsRequest.reporter_id == reporter_id).order_by(RightsRequest.id)
    )
    return [_row(r, ("at", "kind", "actor", "outcome", "detail")) for r in rows]


def _row(obj: object, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: _plain(getattr(obj, name)) for name in fields}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "backslashreplace")
    return value
