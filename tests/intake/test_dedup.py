"""A provider's repeated delivery of one message is processed once."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from bot.runtime.process import Runtime
from connectors.messages import Inbound
from storage.models import InboundSeen, Message, OutboxMessage


def _inbound(runtime: Runtime, text: str, external_id: str) -> Inbound:
    return Inbound(address="telegram:42", text=text, external_id=external_id, received_at=runtime.clock())


async def test_same_message_id_twice_is_processed_once(runtime: Runtime) -> None:
    first = await runtime.conversations.handle(_inbound(runtime, "halo", "1001"))
    again = await runtime.conversations.handle(_inbound(runtime, "halo", "1001"))
    assert first.replies and not first.duplicate
    assert again.duplicate and again.replies == []
    async with runtime.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(OutboxMessage)) == 1
        assert await session.scalar(select(func.count()).select_from(InboundSeen)) == 1


async def test_concurrent_duplicates_are_processed_once(runtime: Runtime) -> None:
    await runtime.conversations.handle(_inbound(runtime, "halo", "2001"))
    await runtime.conversations.handle(_inbound(runtime, "setuju", "2002"))
    text = "jalan rusak parah di depan pasar desa kami sejak minggu lalu"
    outcomes = await asyncio.gather(
        *(runtime.conversations.handle(_inbound(runtime, text, "2003")) for _ in range(5))
    )
    assert sum(not o.duplicate for o in outcomes) == 1, [
        ([r.key for r in o.replies], o.duplicate) for o in outcomes
    ]
    async with runtime.sessions() as session:
        inbound = await session.scalar(select(func.count()).select_from(Message).where(Message.text == text))
    assert inbound == 1, "the message is in the transcript once"


async def test_retry_after_the_fast_dedup_key_expired_is_still_caught(runtime: Runtime) -> None:
    await runtime.conversations.handle(_inbound(runtime, "halo", "3001"))
    await runtime.state.release_claim("seen:telegram:3001")  # as if the key had expired
    again = await runtime.conversations.handle(_inbound(runtime, "halo", "3001"))
    assert again.duplicate
    async with runtime.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(OutboxMessage)) == 1
