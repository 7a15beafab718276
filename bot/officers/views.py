"""Complaints as officers see them: the anonymity and confidentiality rules live here.

An anonymous complaint has no reporter object at all; identity fields are
never part of these views (they need the separate, audited identity call).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.officers.auth import Principal
from bot.officers.deadlines import Urgency, current_due, urgency
from bot.officers.lifecycle import next_statuses
from bot.officers.schemas import (
    AttachmentOut,
    ComplaintDetail,
    ComplaintSummary,
    Event,
    ReporterOut,
    TranscriptLine,
)
from storage.models import Complaint, Message, Reporter

TRANSCRIPT_LIMIT = 500


def summary(complaint: Complaint, codes: dict[int, str], today: date) -> ComplaintSummary:
    level = urgency(complaint, today)
    return ComplaintSummary(
        ticket=complaint.ticket,
        kind=complaint.kind,
        category=complaint.category,
        title=complaint.title,
        status=complaint.status,
        agency=codes.get(complaint.agency_id) if complaint.agency_id else None,
        province_name=complaint.province_name,
        regency_code=complaint.regency_code,
        regency_name=complaint.regency_name,
        confidential=complaint.confidential,
        anonymous=complaint.anonymous,
        created_at=complaint.created_at,
        updated_at=complaint.updated_at,
        due_date=current_due(complaint),
        urgency=level.value,
        overdue=level is Urgency.OVERDUE,
        reopen_count=complaint.reopen_count,
        rating=complaint.rating,
    )


def reporter_view(complaint: Complaint, reporter: Reporter) -> ReporterOut | None:
    if complaint.anonymous:
        return None
    return ReporterOut(channel=reporter.channel, language=reporter.language, opted_out=reporter.opted_out)


async def transcript(session: AsyncSession, complaint: Complaint) -> list[TranscriptLine]:
    rows = await session.scalars(
        select(Message)
        .where(Message.conversation_id == complaint.conversation_id)
        .order_by(Message.id)
        .limit(TRANSCRIPT_LIMIT)
    )
    return [
        TranscriptLine(direction="in" if m.direction == "in" else "out", text=m.text, at=m.created_at)
        for m in rows
    ]


async def detail(
    session: AsyncSession, who: Principal, complaint: Complaint, codes: dict[int, str], today: date
) -> ComplaintDetail:
    """The full record; ``complaint`` must come from ``scope.find(..., full=True)``."""
    merged = (
        await session.scalar(select(Complaint.ticket).where(Complaint.id == complaint.merged_into_id))
        if complaint.merged_into_id
        else None
    )
    return ComplaintDetail(
        **summary(complaint, codes, today).model_dump(),
        description=complaint.description,
        location_text=complaint.location_text,
        district_name=complaint.district_name,
        village_name=complaint.village_name,
        latitude=complaint.latitude,
        longitude=complaint.longitude,
        incident_date=complaint.incident_date,
        language=complaint.language,
        source_channel=complaint.source_channel,
        verify_due=complaint.verify_due,
        forward_due=complaint.forward_due,
        followup_due=complaint.followup_due,
        resolved_at=complaint.resolved_at,
        closed_at=complaint.closed_at,
        rejection_reason=complaint.rejection_reason,
        merged_into=merged,
        allowed_statuses=[s.value for s in next_statuses(complaint.status)] if who.can_write else [],
        reporter=reporter_view(complaint, complaint.reporter),
        history=[
            Event(
                at=e.at,
                actor=e.actor,
                action=e.action,
                from_status=e.from_status,
                to_status=e.to_status,
                public_note=e.public_note,
                internal_note=e.internal_note,
            )
            for e in complaint.events
        ],
        attachments=[
            AttachmentOut(
                id=a.id,
                content_type=a.content_type,
                size=a.size,
                sha256=a.sha256,
                width=a.width,
                height=a.height,
            )
            for a in complaint.attachments
        ],
        transcript=await transcript(session, complaint),
    )
