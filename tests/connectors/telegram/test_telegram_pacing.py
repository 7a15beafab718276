"""Pacing: about one message a second per chat, a bounded rate overall."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import AsyncIterator

import pytest

from connectors.messages import Outbound, SendOutcome
from connectors.pacing import SendPacer
from connectors.telegram.connector import TelegramConnector, TelegramLimits
from tests.connectors.telegram.conftest import SECRET
from tests.support.fakes.telegram_api import FakeTelegramApi

# Arrival times at the fake include connection set-up and thread hand-over.
JITTER = 0.08


class FakeClock:
    """A clock that only moves when someone sleeps on it."""

    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds


async def test_pacer_spaces_one_chat_by_its_interval() -> None:
    clock = FakeClock()
    pacer = SendPacer(1.0, 30.0, clock=clock, sleep=clock.sleep)
    for _ in range(3):
        await pacer.wait(7)
    assert clock.sleeps == [1.0, 1.0]


async def test_pacer_spaces_all_chats_by_the_global_rate() -> None:
    clock = FakeClock()
    pacer = SendPacer(1.0, 10.0, clock=clock, sleep=clock.sleep)
    for chat in range(4):
        await pacer.wait(chat)
    assert clock.sleeps == [0.1, 0.1, 0.1]


async def test_a_busy_chat_does_not_hold_up_the_others() -> None:
    pacer = SendPacer(0.5, 20.0)
    await pacer.wait(7)
    second = asyncio.create_task(pacer.wait(7))  # waits about 0.5 s for its chat
    await asyncio.sleep(0)  # let it queue first
    start = time.monotonic()
    await pacer.wait(8)
    assert time.monotonic() - start < 0.2
    assert not second.done()
    await second


async def test_penalty_holds_the_chat_for_retry_after() -> None:
    clock = FakeClock()
    pacer = SendPacer(1.0, 30.0, clock=clock, sleep=clock.sleep)
    pacer.penalize(7, 12.0)
    await pacer.wait(8)
    await pacer.wait(7)
    assert clock.sleeps == [pytest.approx(12.0)]


def test_pacer_rejects_nonsense_limits() -> None:
    with pytest.raises(ValueError):
        SendPacer(1.0, 0.0)


@pytest.fixture
async def paced(telegram_api: FakeTelegramApi) -> AsyncIterator[TelegramConnector]:
    limits = TelegramLimits(per_chat_interval=0.3, global_rate=10.0)
    connector = TelegramConnector(telegram_api.token, SECRET, telegram_api.url, limits=limits)
    yield connector
    await connector.aclose()


async def test_messages_to_one_chat_arrive_spaced_and_in_order(
    paced: TelegramConnector, telegram_api: FakeTelegramApi
) -> None:
    texts = [f"pesan {i}" for i in range(4)]
    results = await asyncio.gather(*(paced.send(Outbound("telegram:42", t)) for t in texts))
    calls = telegram_api.calls_to("sendMessage")
    gaps = [later.at - earlier.at for earlier, later in itertools.pairwise(calls)]
    assert all(r.outcome is SendOutcome.SENT for r in results)
    assert [c.params["text"] for c in calls] == texts
    assert min(gaps) >= 0.3 - JITTER
    assert calls[-1].at - calls[0].at >= 3 * 0.3 - JITTER


async def test_other_chats_only_wait_for_the_global_rate(
    paced: TelegramConnector, telegram_api: FakeTelegramApi
) -> None:
    await paced.send(Outbound("telegram:1", "warm-up"))  # open the connection
    telegram_api.reset()
    sends = (paced.send(Outbound(f"telegram:{chat}", "halo")) for chat in range(2, 6))
    await asyncio.gather(*sends)
    calls = telegram_api.calls_to("sendMessage")
    gaps = [later.at - earlier.at for earlier, later in itertools.pairwise(calls)]
    assert min(gaps) >= 0.1 - JITTER
    assert calls[-1].at - calls[0].at < 0.3 * 3  # far less than the per-chat spacing
