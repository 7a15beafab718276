"""Messages that could not be delivered, shown to officers, and a way to try again."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.privacy import mask_text
from bot.officers.auth import Principal, Role
from bot.officers.schemas import Failure
from bot.officers.scope import visible
from storage.models import Complaint, OutboxMessage
from storage.outbox import OutboxStatus

FAILED = (OutboxStatus.FAILED, OutboxStatus.DEAD, OutboxStatus.UNDELIVERED)


def _scope(who: Principal) -> ColumnElement[bool]:
    if who.role is Role.ADMIN:
        return true()
    # Others see pushes of complaints they may see; plain replies are an admin's business.
    return OutboxMessage.complaint_id.in_(select(Complaint.id).where(visible(who)))


async def failures(session: AsyncSession, who: Principal, limit: int = 100) -> list[Failure]:
    """Failed, dead-lettered and undelivered messages ``who`` may see, latest first."""
    rows = (
        await session.execute(
            select(OutboxMessage, Complaint.ticket)
            .outerjoin(Complaint, Complaint.id == OutboxMessage.complaint_id)
            .where(OutboxMessage.status.in_(FAILED), _scope(who))
            .order_by(OutboxMessage.updated_at.desc(), OutboxMessage.id.desc())
            .limit(limit)
        )
    ).all()
    return [
        Failure(
            id=row.id,
            ticket=ticket,
            channel=row.channel,
            kind=row.kind,
            status=row.status,
            attempts=row.attempts,
            # Provider errors may quote the number they failed to reach.
            last_error=mask_text(row.last_error)[:300] if row.last_error else None,
            message_key=row.payload.get("key") or None,
            updated_at=row.updated_at,
        )
        for row, ticket in rows
    ]


async def retry(session: AsyncSession, who: Principal, row_id: int, now: datetime) -> bool:
    """Queue a failed message again from attempt zero; False when ``who`` cannot see it."""
    result = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == row_id, OutboxMessage.status.in_(FAILED), _scope(who))
        .values(status=OutboxStatus.QUEUED, attempts=0, next_attempt_at=now, claimed_by=None, updated_at=now)
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    )
    return result.first() is not None
