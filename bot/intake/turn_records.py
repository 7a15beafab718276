"""Writing a turn's effects into the database: reporter, transcript, complaint."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, insert, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.text_hygiene import clean, storable
from bot.core.workdays import due_dates
from bot.engine.dates import local_date
from bot.engine.turn import Submit
from bot.officers.routing import route
from connectors.media import SafeMedia
from connectors.messages import Inbound, channel_of
from storage.models import Attachment, Complaint, Conversation, Message, Reporter, StatusEvent

TITLE_LIMIT = 80


@dataclass(frozen=True, slots=True)
class ReporterRef:
    """The reporter a turn belongs to, as far as writing records needs."""

    id: int
    address: str


def _upsert(session: AsyncSession, table: Any) -> Any:
    dialect = session.get_bind().dialect.name
    return (pg_insert if dialect == "postgresql" else sqlite_insert)(table)


async def reporter_for(
    session: AsyncSession, inbound: Inbound, language: str, consented_at: datetime | None
) -> ReporterRef:
    """Create or refresh the reporter at ``inbound.address`` in one statement."""
    statement = _upsert(session, Reporter).values(
        address=inbound.address,
        channel=inbound.channel,
        display_name=_name(inbound.display_name),
        language=language,
        consented_at=consented_at,
        last_inbound_at=inbound.received_at,
        created_at=inbound.received_at,
        opted_out=False,
        unreachable=False,
    )
    excluded = statement.excluded
    statement = statement.on_conflict_do_update(
        index_elements=[Reporter.address],
        set_={
            "language": excluded.language,
            "last_inbound_at": excluded.last_inbound_at,
            "display_name": func.coalesce(Reporter.display_name, excluded.display_name),
            "consented_at": func.coalesce(Reporter.consented_at, excluded.consented_at),
            # A citizen who writes again can be reached again.
            "unreachable": False,
        },
    ).returning(Reporter.id)
    reporter_id = (await session.execute(statement)).scalar_one()
    return ReporterRef(reporter_id, inbound.address)


def _name(name: str | None) -> str | None:
    return clean(name)[:200] if name else None


async def ensure_conversation(
    session: AsyncSession, conversation_id: str, reporter: ReporterRef, now: datetime
) -> None:
    statement = _upsert(session, Conversation).values(
        id=conversation_id, reporter_id=reporter.id, started_at=now
    )
    await session.execute(statement.on_conflict_do_nothing(index_elements=[Conversation.id]))


def transcript_rows(
    conversation_id: str, lines: list[tuple[str, str]], now: datetime
) -> list[dict[str, Any]]:
    """Rows for one multi-row insert: (direction, text) pairs in order."""
    return [
        {"conversation_id": conversation_id, "direction": d, "text": storable(t), "created_at": now}
        for d, t in lines
    ]


async def write_transcript(
    session: AsyncSession, conversation_id: str, lines: list[tuple[str, str]], now: datetime
) -> None:
    if lines:
        await session.execute(insert(Message), transcript_rows(conversation_id, lines, now))


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
    session: AsyncSession, submit: Submit, reporter: ReporterRef, inbound: Inbound
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
        description_raw=str(slots.get("description_raw", description)).encode(),
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
    agency = await route(session, complaint.category, complaint.regency_code)
    complaint.agency_id = agency.id if agency else None
    session.add(complaint)
    if slots.get("phone"):  # given in the dialogue, so after consent
        await session.execute(
            update(Reporter).where(Reporter.id == reporter.id).values(phone=str(slots["phone"])[:32])
        )
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
    first = _first_sentence(description.split("\n", maxsplit=1)[0]).strip()
    if len(first) <= TITLE_LIMIT:
        return first or description[:TITLE_LIMIT]
    cut = first[: TITLE_LIMIT - 1].rsplit(" ", 1)[0]
    return f"{cut}…"


# Abbreviations in Indonesian addresses and titles that end in a dot mid-sentence.
_ABBREVIATIONS = frozenset(
    {"jl", "jln", "no", "kab", "kec", "kel", "ds", "gg", "rt", "rw", "dr", "bpk", "sdr", "st", "km"}
)


def _first_sentence(text: str) -> str:
    for match in re.finditer(r"\. ", text):
        before = text[: match.start()].rsplit(" ", 1)[-1].lower()
        if before not in _ABBREVIATIONS:
            return text[: match.start()]
    return text


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
