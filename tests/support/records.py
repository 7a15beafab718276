"""Reading back what the bot stored."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from storage.models import Attachment, Complaint, OutboxMessage, Reporter
from tests.connectors.telegram.e2e.conftest import TelegramBot


async def count(bot: TelegramBot, model: Any) -> int:
    async with bot.runtime.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def complaints(bot: TelegramBot) -> list[Complaint]:
    async with bot.runtime.sessions() as session:
        return list((await session.scalars(select(Complaint).order_by(Complaint.id))).all())


async def reporter(bot: TelegramBot, address: str) -> Reporter | None:
    async with bot.runtime.sessions() as session:
        found: Reporter | None = await session.scalar(select(Reporter).where(Reporter.address == address))
        return found


async def outbox(bot: TelegramBot, address: str | None = None) -> list[OutboxMessage]:
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if address is not None:
        query = query.where(OutboxMessage.address == address)
    async with bot.runtime.sessions() as session:
        return list((await session.scalars(query)).all())


async def attachments(bot: TelegramBot) -> list[Attachment]:
    async with bot.runtime.sessions() as session:
        return list((await session.scalars(select(Attachment).order_by(Attachment.id))).all())
