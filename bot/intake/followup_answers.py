"""Apply a reporter's follow-up answers to their complaint, with history.

Only the complaint's own reporter can close, reopen or add to it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.text_hygiene import clean, storable
from bot.engine.turn import Feedback, ReporterReply
from bot.intake.turn_records import ReporterRef
from bot.officers.notifications import notify
from storage.models import Complaint, StatusEvent

FollowUp = Feedback | ReporterReply


async def apply_followup(
    session: AsyncSession, effect: FollowUp, reporter: ReporterRef, now: datetime
) -> bool:
    """Record ``effect``; False when the ticket is not this reporter's."""
    complaint = await session.scalar(
        select(Complaint).where(Complaint.ticket == effect.ticket, Complaint.reporter_id == reporter.id)
    )
    if complaint is None:
        return False
    if isinstance(effect, ReporterReply):
        _reply(session, complaint, effect.text, now)
    elif effect.fixed:
        _close(session, complaint, effect.rating, now)
    else:
        _reopen(session, complaint, now)
    complaint.updated_at = now
    return True


def _event(
    session: AsyncSession, complaint: Complaint, action: str, to: str | None, note: str | None, now: datetime
) -> None:
    session.add(
        StatusEvent(
            complaint_id=complaint.id,
            at=now,
            actor="reporter",
            action=action,
            from_status=complaint.status,
            to_status=to,
            public_note=note,
        )
    )


def _reply(session: AsyncSession, complaint: Complaint, text: str, now: datetime) -> None:
    to = "in_progress" if complaint.status == "needs_info" else None
    reply = storable(clean(text))
    _event(session, complaint, "reporter_reply", to, reply, now)
    notify(session, complaint, "reporter_reply", f"Pelapor {complaint.ticket} membalas: {reply}", now)
    if to:
        complaint.status = to


def _close(session: AsyncSession, complaint: Complaint, rating: int | None, now: datetime) -> None:
    if complaint.status != "resolved":
        return
    _event(session, complaint, "status", "closed", f"rating {rating}" if rating else None, now)
    text = f"Pelapor menutup {complaint.ticket}, penilaian {rating or '-'}/5."
    notify(session, complaint, "closed", text, now)
    complaint.status, complaint.rating, complaint.closed_at = "closed", rating, now


def _reopen(session: AsyncSession, complaint: Complaint, now: datetime) -> None:
    if complaint.status != "resolved":
        return
    _event(session, complaint, "reopen", "in_progress", None, now)
    text = f"Pelapor menyatakan {complaint.ticket} belum beres: dibuka kembali."
    notify(session, complaint, "reopened", text, now)
    complaint.status = "in_progress"
    complaint.reopen_count += 1
    complaint.resolved_at = None
