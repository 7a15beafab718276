"""Edges of asynchronous channels: nothing a citizen sends goes unanswered or lost."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.runtime.process import Runtime
from connectors.base import WebhookRequest, WebhookResponse
from connectors.messages import Inbound, Outbound, Receipt, SendOutcome, SendResult
from storage.models import InboundSeen, OutboxMessage
from storage.state import LockTimeout
from tests.support.citizen import RuntimeFactory


class RecordingChannel:
    """A provider that records what it is asked to send and answers as told."""

    name = "fake"
    schemes: tuple[str, ...] = ("fake",)

    def __init__(self) -> None:
        self.sent: list[Outbound] = []
        self.answer = SendResult(SendOutcome.SENT, ("m1",))

    def parse(self, request: WebhookRequest) -> list[Inbound | Receipt]:
        return []

    def acknowledge(self, items: list[Inbound | Receipt]) -> WebhookResponse:
        return WebhookResponse()

    async def send(self, outbound: Outbound) -> SendResult:
        self.sent.append(outbound)
        return self.answer

    async def aclose(self) -> None:
        return None


@pytest.fixture
async def fake_runtime(make_runtime: RuntimeFactory) -> tuple[Runtime, RecordingChannel]:
    channel = RecordingChannel()
    runtime = await make_runtime(rate_limit_per_minute=2)
    runtime.channels.add(channel, "fake")
    return runtime, channel


def _inbound(runtime: Runtime, text: str, number: int) -> Inbound:
    return Inbound(address="fake:1", text=text, external_id=str(number), received_at=runtime.clock())


async def test_a_flooding_sender_is_told_once_and_their_messages_are_settled(
    fake_runtime: tuple[Runtime, RecordingChannel],
) -> None:
    runtime, channel = fake_runtime
    outcomes = [await runtime.conversations.handle(_inbound(runtime, "halo", n)) for n in range(5)]
    await runtime.dispatcher.send_ids([i for o in outcomes for i in o.outbox_ids])
    await runtime.dispatcher.drain()
    keys = [m.key for m in channel.sent]
    assert keys.count("rate_limited") == 1, keys
    async with runtime.sessions() as session:
        seen = (await session.scalars(select(InboundSeen.external_id))).all()
    assert sorted(seen) == ["0", "1", "2", "3", "4"], "a provider retry of a dropped message stops here"


async def test_a_busy_conversation_is_left_for_the_provider_to_deliver_again(
    fake_runtime: tuple[Runtime, RecordingChannel],
) -> None:
    runtime, _ = fake_runtime
    runtime.conversations.lock_wait = 0.1
    async with runtime.state.lock("conv:fake:1"):
        with pytest.raises(LockTimeout):
            await runtime.conversations.handle(_inbound(runtime, "halo", 7))
    again = await runtime.conversations.handle(_inbound(runtime, "halo", 7))
    assert not again.duplicate and again.outbox_ids, "the claim was released, the retry is processed"


async def test_a_citizen_who_blocked_the_bot_is_not_sent_their_queued_messages(
    fake_runtime: tuple[Runtime, RecordingChannel],
) -> None:
    runtime, channel = fake_runtime
    runtime.conversations.rate_limit_per_minute = 100
    first = await runtime.conversations.handle(_inbound(runtime, "halo", 1))
    second = await runtime.conversations.handle(_inbound(runtime, "bantuan", 2))
    channel.answer = SendResult(SendOutcome.UNREACHABLE, error="blocked")
    await runtime.dispatcher.send_ids(first.outbox_ids + second.outbox_ids)
    assert len(channel.sent) == 1, "one refusal is enough"
    async with runtime.sessions() as session:
        statuses = (await session.scalars(select(OutboxMessage.status))).all()
    assert set(statuses) == {"failed"}
