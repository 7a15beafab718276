"""Where a reporter's data is: the rows that belong to one address."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from storage.models import Attachment, Complaint, Conversation, Message, OutboxMessage, Reporter


async def reporter_at(session: AsyncSession, address: str) -> Reporter | None:
    return await session.scalar(select(Reporter).where(Reporter.address == address))


async def complaints_of(session: AsyncSession, reporter_id: int) -> Sequence[Complaint]:
    return (
        await session.scalars(
            select(Complaint).where(Complaint.reporter_id == reporter_id).order_by(Complaint.id)
        )
    ).all()


async def conversations_of(session: AsyncSession, reporter_id: int) -> Sequence[Conversation]:
    return (
        await session.scalars(
            select(Conversation)
            .where(Conversation.reporter_id == reporter_id)
            .order_by(Conversation.started_at)
        )
    ).all()


async def messages_in(session: AsyncSession, conversation_ids: Sequence[str]) -> Sequence[Message]:
    if not conversation_ids:
        return []
    statement = select(Message).where(Message.conversation_id.in_(conversation_ids)).order_by(Message.id)
    return (await session.scalars(statement)).all()


def attachments_clause(conversation_ids: Sequence[str], complaint_ids: Sequence[int]) -> ColumnElement[bool]:
    return or_(Attachment.conversation_id.in_(conversation_ids), Attachment.complaint_id.in_(complaint_ids))


def outbox_clause(address: str | None, complaint_ids: Sequence[int]) -> ColumnElement[bool]:
    by_complaint = OutboxMessage.complaint_id.in_(complaint_ids)
    return by_complaint if address is None else or_(OutboxMessage.address == address, by_complaint)
