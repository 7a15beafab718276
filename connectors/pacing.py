"""Pace outgoing messages to a provider's limits: a gap per chat and a rate overall.

Telegram: ~1 a second per chat, ~30 a second overall; Meta's Cloud API: ~80 a second
per number. One pacer per process: when several workers send for the same account,
give each a share of the overall rate; a 429 still comes back as ``RATE_LIMITED``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

_PRUNE_ABOVE = 4096  # chats remembered before idle ones are forgotten


@dataclass(slots=True)
class _Chat:
    next_at: float = 0.0
    pending: int = 0  # senders waiting for or holding the lock
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class SendPacer:
    """Make each sender wait for its turn, in call order, without polling.

    Sends to one chat queue on that chat's lock (FIFO), so they leave at least
    ``per_chat_interval`` seconds apart; a sender reserves an overall slot only
    once its chat is ready, so one busy chat never holds up the others.
    """

    def __init__(
        self,
        per_chat_interval: float,
        global_rate: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if per_chat_interval < 0 or global_rate <= 0:
            raise ValueError("per_chat_interval must be >= 0 and global_rate > 0")
        self._chat_gap = per_chat_interval
        self._global_gap = 1.0 / global_rate
        self._clock = clock
        self._sleep = sleep
        self._next_global = 0.0
        self._chats: dict[int | str, _Chat] = {}

    async def wait(self, chat: int | str) -> None:
        """Return when a message to ``chat`` may be sent now."""
        state = self._chats.setdefault(chat, _Chat())
        state.pending += 1
        try:
            async with state.lock:
                await self._sleep_until(state.next_at)
                await self._sleep_until(self._reserve_global())
                state.next_at = self._clock() + self._chat_gap
        finally:
            state.pending -= 1
        self._prune()

    def penalize(self, chat: int | str, seconds: float) -> None:
        """Hold ``chat`` for ``seconds`` (after the provider answered 429 ``retry_after``)."""
        state = self._chats.setdefault(chat, _Chat())
        state.next_at = max(state.next_at, self._clock() + seconds)

    def hold_all(self, seconds: float) -> None:
        """Hold every chat back for ``seconds`` (the whole account is over its limit)."""
        self._next_global = max(self._next_global, self._clock() + seconds)

    def _reserve_global(self) -> float:
        at = max(self._clock(), self._next_global)
        self._next_global = at + self._global_gap
        return at

    async def _sleep_until(self, moment: float) -> None:
        delay = moment - self._clock()
        if delay > 0:
            await self._sleep(delay)

    def _prune(self) -> None:
        if len(self._chats) <= _PRUNE_ABOVE:
            return
        now = self._clock()
        idle = [c for c, s in self._chats.items() if s.pending == 0 and s.next_at <= now]
        for chat in idle:
            del self._chats[chat]
