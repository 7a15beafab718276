"""The send pacer, on a virtual clock: sleeping advances time instead of waiting."""

from __future__ import annotations

import asyncio

import pytest

from connectors.meta_whatsapp.pacing import Pacer


class VirtualTime:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


async def departures(pacer: Pacer, time: VirtualTime, recipients: list[str]) -> list[tuple[str, float]]:
    left: list[tuple[str, float]] = []

    async def send(recipient: str) -> None:
        await pacer.wait(recipient)
        left.append((recipient, time.now))

    for recipient in recipients:  # one after another, as one worker sends
        await send(recipient)
    return left


async def test_messages_to_one_recipient_are_spaced() -> None:
    time = VirtualTime()
    pacer = Pacer(rate=80.0, recipient_gap=0.5, clock=time.clock, sleep=time.sleep)
    left = await departures(pacer, time, ["a", "a", "a"])
    assert [at - 100.0 for _, at in left] == pytest.approx([0.0, 0.5, 1.0])


async def test_the_overall_rate_spaces_different_recipients() -> None:
    time = VirtualTime()
    pacer = Pacer(rate=80.0, recipient_gap=0.5, clock=time.clock, sleep=time.sleep)
    left = await departures(pacer, time, [f"r{n}" for n in range(81)])
    assert left[-1][1] - left[0][1] == pytest.approx(1.0)  # 80 gaps of 1/80 s


async def test_a_penalized_recipient_waits_and_others_do_not() -> None:
    time = VirtualTime()
    pacer = Pacer(rate=1000.0, recipient_gap=0.0, clock=time.clock, sleep=time.sleep)
    pacer.penalize("a", 6.0)
    await pacer.wait("b")
    assert time.now == pytest.approx(100.0)
    await pacer.wait("a")
    assert time.now == pytest.approx(106.0)


async def test_concurrent_sends_to_one_recipient_leave_in_call_order() -> None:
    pacer = Pacer(rate=10_000.0, recipient_gap=0.0)
    order: list[int] = []

    async def send(n: int) -> None:
        await pacer.wait("a")
        order.append(n)

    await asyncio.gather(*(send(n) for n in range(20)))
    assert order == list(range(20))


def test_bad_limits_are_refused() -> None:
    with pytest.raises(ValueError):
        Pacer(rate=0)
    with pytest.raises(ValueError):
        Pacer(recipient_gap=-1)
