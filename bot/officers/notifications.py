"""Notes for an agency's officers: a reporter replied or reopened, a deadline passed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.officers.auth import Principal
from bot.officers.scope import visible
from storage.models import Complaint
from storage.officers_models import OfficerNotification

TEXT_LIMIT = 500


def notify(
    session: AsyncSession,
    complaint: Complaint,
    kind: str,
    text: str,
    now: datetime,
    dedup_key: str | None = None,
) -> OfficerNotification:
    """Add a notification for the officers of ``complaint``'s agency to the caller's transaction."""
    note = OfficerNotification(
        agency_id=complaint.agency_id,
        complaint_id=complaint.id,
        kind=kind,
        dedup_key=dedup_key,
        text=text[:TEXT_LIMIT],
        created_at=now,
    )
    session.add(note)
    return note


async def already_notified(session: AsyncSession, complaint_id: int, dedup_key: str) -> bool:
    found = await session.scalar(
        select(OfficerNotification.id).where(
            OfficerNotification.complaint_id == complaint_id, OfficerNotification.dedup_key == dedup_key
        )
    )
    return found is not None


async def for_officer(
    session: AsyncSession, who: Principal, *, unread_only: bool = False, limit: int = 100
) -> list[tuple[OfficerNotification, str]]:
    """Notifications of complaints ``who`` may see, newest first, with their tickets."""
    query = (
        select(OfficerNotification, Complaint.ticket)
        .join(Complaint, Complaint.id == OfficerNotification.complaint_id)
        .where(visible(who))
        .order_by(OfficerNotification.id.desc())
        .limit(limit)
    )
    if unread_only:
        query = query.where(OfficerNotification.read_at.is_(None))
    return [(note, ticket) for note, ticket in (await session.execute(query)).all()]


async def mark_read(session: AsyncSession, who: Principal, note_id: int, now: datetime) -> bool:
    """Mark one visible notification read; False when there is none for ``who``."""
    visible_ids = select(Complaint.id).where(visible(who))
    note = await session.scalar(
        select(OfficerNotification).where(
            OfficerNotification.id == note_id, OfficerNotification.complaint_id.in_(visible_ids)
        )
    )
    if note is None:
        return False
    note.read_at = note.read_at or now
    return True
