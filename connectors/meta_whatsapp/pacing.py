"""Pace sends to the Cloud API's limits: ~80 messages a second per business number,
and a short gap between messages to one recipient so a split reply stays in order.

Sends to one recipient queue on that recipient's lock (FIFO); a sender takes an
overall slot only once its recipient is ready, so one busy chat never holds up
the others. After a pair-rate error the recipient is held back (``penalize``).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

DEFAULT_RATE = 80.0  # messages a second, Meta's default throughput per number
DEFAULT_RECIPIENT_GAP = 0.2  # seconds between messages to the same citizen
_PRUNE_ABOVE = 4096


@dataclass(slots=True)
class _Recipient:
    next_at: float = 0.0
    pending: int = 0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class Pacer:
    """Makes each sender wait for its turn, without polling."""

    def __init__(
        self,
        rate: float = DEFAULT_RATE,
        recipient_gap: float = DEFAULT_RECIPIENT_GAP,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if rate <= 0 or recipient_gap < 0:
            raise ValueError("rate must be > 0 and recipient_gap >= 0")
        self._gap = 1.0 / rate
        self._recipient_gap = recipient_gap
        self._clock = clock
        self._sleep = sleep
        self._next_slot = 0.0
        self._recipients: dict[str, _Recipient] = {}

    async def wait(self, recipient: str) -> None:
        """Return when a message to ``recipient`` may leave now."""
        state = self._recipients.setdefault(recipient, _Recipient())
        state.pending += 1
        try:
            async with state.lock:
                await self._sleep_until(state.next_at)
                await self._sleep_until(self._reserve_slot())
                state.next_at = self._clock() + self._recipient_gap
        finally:
            state.pending -= 1
        self._prune()

    def penalize(self, recipient: str, seconds: float) -> None:
        """Hold ``recipient`` back for ``seconds``."""
        state = self._recipients.setdefault(recipient, _Recipient())
        state.next_at = max(state.next_at, self._clock() + seconds)

    def _reserve_slot(self) -> float:
        at = max(self._clock(), self._next_slot)
        self._next_slot = at + self._gap
        return at

    async def _sleep_until(self, moment: float) -> None:
        delay = moment - self._clock()
        if delay > 0:
            await self._sleep(delay)

    def _prune(self) -> None:
        if len(self._recipients) <= _PRUNE_ABOVE:
            return
        now = self._clock()
        idle = [r for r, s in self._recipients.items() if s.pending == 0 and s.next_at <= now]
        for recipient in idle:
            del self._recipients[recipient]
