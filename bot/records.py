"""Writing a turn's effects into the database: reporter, transcript, complaint."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.engine.dates import local_date
from bot.engine.turn import Submit
from bot.text_hygiene import clean, original_bytes, storable
from bot.workdays import due_dates
from connectors.media import SafeMedia
from connectors.messages import Inbound, channel_of
from storage.models import Attachment, Complaint, Conversation, Message, Reporter, StatusEvent

TITLE_LIMIT = 80


async def reporter_for(session: AsyncSession, inbound: Inbound, language: str) -> Reporter:
    """The reporter at ``inbound.address``, created on first contact."""
    reporter = await session.scalar(select(Reporter).where(Reporter.address == inbound.address))
    if reporter is None:
        reporter = Reporter(
            address=inbound.address,
            channel=inbound.channel,
            display_name=_name(inbound.display_name),
            language=language,
            created_at=inbound.received_at,
        )
        session.add(reporter)
    reporter.language = language
    reporter.last_inbound_at = inbound.received_at
    if inbound.display_name and reporter.display_name is None:
        reporter.display_name = _name(inbound.display_name)
    if inbound.contact and inbound.contact.is_own:
        reporter.phone = inbound.contact.phone[:32]
    await session.flush()
    return reporter


def _name(name: str | None) -> str | None:
    return clean(name)[:200] if name else None


async def ensure_conversation(
    session: AsyncSession, conversation_id: str, reporter: Reporter, now: datetime
) -> None:
    if await session.get(Conversation, conversation_id) is None:
        session.add(Conversation(id=conversation_id, reporter_id=reporter.id, started_at=now))
        await session.flush()


def transcript(session: AsyncSession, conversation_id: str, direction: str, text: str, now: datetime) -> None:
    session.add(
        Message(
            conversation_id=conversation_id,
            direction=direction,
            text=storable(text),
            created_at=now,
        )
    )


def attach(session: AsyncSession, conversation_id: str, media: SafeMedia, now: datetime) -> None:
    session.add(
        Attachment(
            conversation_id=conversation_id,
            content_type=media.content_type,
            size=media.size,
            sha256=media.sha256,
            width=media.width,
            height=media.height,
            content=media.content,
            created_at=now,
        )
    )


async def file_complaint(
    session: AsyncSession, submit: Submit, reporter: Reporter, inbound: Inbound
) -> Complaint:
    """Create the complaint, its first history event, and link its attachments."""
    slots, now = submit.slots, inbound.received_at
    description = clean(str(slots.get("description", "")))
    dues = due_dates(local_date(now))
    complaint = Complaint(
        ticket=submit.ticket,
        conversation_id=submit.conversation_id,
        reporter_id=reporter.id,
        kind=slots.get("kind") or "complaint",
        category=slots.get("category") or "other",
        title=propose_title(description),
        description=storable(description),
        description_raw=original_bytes(str(slots.get("description_raw", description))),
        incident_date=_date(slots.get("incident_date")),
        confidential=slots.get("identity") == "confidential",
        anonymous=slots.get("identity") == "anonymous",
        status="received",
        language=submit.language,
        source_channel=channel_of(inbound.address),
        source_message_ids=[inbound.external_id] if inbound.external_id else [],
        verify_due=dues.verify,
        forward_due=dues.forward,
        followup_due=dues.follow_up,
        created_at=now,
        updated_at=now,
        **_location_fields(slots.get("location")),
    )
    session.add(complaint)
    await session.flush()
    session.add(StatusEvent(complaint_id=complaint.id, at=now, actor="reporter", to_status="received"))
    await session.execute(
        update(Attachment)
        .where(Attachment.conversation_id == submit.conversation_id)
        .values(complaint_id=complaint.id)
    )
    conversation = await session.get(Conversation, submit.conversation_id)
    if conversation is not None:
        conversation.complaint_id = complaint.id
    return complaint


def propose_title(description: str) -> str:
    """A short summary for officers: the first sentence, cut at a word."""
    first = description.split("\n", maxsplit=1)[0].split(". ", maxsplit=1)[0].strip()
    if len(first) <= TITLE_LIMIT:
        return first or description[:TITLE_LIMIT]
    cut = first[: TITLE_LIMIT - 1].rsplit(" ", 1)[0]
    return f"{cut}…"


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def _location_fields(location: dict[str, Any] | None) -> dict[str, Any]:
    if not location:
        return {}
    region: dict[str, Any] = location.get("region") or {}
    level = region.get("level")
    fields: dict[str, Any] = {
        "location_text": storable(clean(str(location.get("text") or ""))) or None,
        "latitude": location.get("lat"),
        "longitude": location.get("lon"),
        "province_code": region.get("province_code"),
        "province_name": region.get("province_name"),
        "regency_code": region.get("regency_code") or (region.get("code") if level == "regency" else None),
        "regency_name": region.get("regency_name") or (region.get("name") if level == "regency" else None),
        "district_code": region.get("district_code") or (region.get("code") if level == "district" else None),
        "district_name": region.get("district_name") or (region.get("name") if level == "district" else None),
    }
    if level == "village":
        fields["village_code"], fields["village_name"] = region.get("code"), region.get("name")
    return fields
