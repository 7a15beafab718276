"""Long polling: updates for a channel whose bot has no public URL (``LongPolling``).

poll -> ``Conversations.handle`` (dedup, lock, engine, one transaction) -> send
after commit -> next update. The offset, which confirms (drops) updates at the
provider on the next poll, moves past an update only once its turn is committed:
a crash in between makes the provider hand the update out again, and the dedup
record makes the second delivery harmless.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from bot.intake.outcome import Outcome
from connectors.base import AnswersCallbacks, LongPolling, ProviderCallFailed, Update
from connectors.messages import Inbound

log = logging.getLogger("lapor.polling")


class PollingStopped(Exception):
    """Polling cannot go on (a bad token, a webhook is set, another poller runs)."""


class Handler(Protocol):
    async def handle(self, inbound: Inbound) -> Outcome: ...


class Sender(Protocol):
    def send_soon(self, ids: Sequence[int]) -> None: ...


@dataclass(frozen=True, slots=True)
class PollingOptions:
    """How long one getUpdates waits, and how failures are paced.

    An update whose turn fails ``max_update_attempts`` times in a row is
    skipped (logged with its id), as Telegram itself gives up on a webhook
    that keeps failing: one broken message must not stop every citizen's.
    With the defaults that takes a few minutes of failures (backoff doubling
    up to a minute), long enough to ride out a database or Redis restart.
    """

    poll_seconds: int = 30
    backoff_base: float = 1.0
    backoff_cap: float = 60.0
    max_update_attempts: int = 10


class Poller:
    """Fetch, store and confirm updates until ``stop`` is called."""

    def __init__(
        self,
        connector: LongPolling,
        conversations: Handler,
        dispatcher: Sender,
        clock: Callable[[], datetime],
        options: PollingOptions | None = None,
    ) -> None:
        self.connector = connector
        self.conversations = conversations
        self.dispatcher = dispatcher
        self.clock = clock
        self.options = options or PollingOptions()
        self.offset: int | None = None
        self._stop = asyncio.Event()
        self._failures = 0  # consecutive failed rounds, for the backoff
        self._attempts: dict[int, int] = {}  # update_id -> failed turns
        self._answers: set[asyncio.Task[None]] = set()

    def stop(self) -> None:
        """Finish the update in hand, then return from ``run`` (signal-handler safe)."""
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    async def run(self, *, rounds: int | None = None) -> None:
        """Poll until ``stop`` (or ``rounds`` getUpdates calls); raise ``PollingStopped``."""
        done = 0
        try:
            while not self.stopping and (rounds is None or done < rounds):
                done += 1
                pause = await self.poll_once()
                if pause > 0:
                    await self._pause(pause)
        finally:
            await self._finish_answers()

    async def poll_once(self) -> float:
        """One getUpdates and the updates it returned; the seconds to wait before the next."""
        try:
            updates = await self._fetch()
        except ProviderCallFailed as exc:
            if not exc.retryable:
                raise PollingStopped(exc.reason) from exc
            log.warning("poll failed: %s", exc.reason)
            return self._backoff(exc.retry_after)
        except Exception:  # whatever else went wrong, the loop must go on
            log.exception("poll failed")
            return self._backoff(None)
        for update in updates or ():
            if self.stopping:
                break
            if not await self._take(update):
                return self._backoff(None)
        self._failures = 0
        return 0.0

    async def _fetch(self) -> list[Update] | None:
        """The next batch, or None when ``stop`` came first (nothing was confirmed)."""
        fetch = asyncio.ensure_future(self.connector.poll(self.offset, self.options.poll_seconds))
        stopped = asyncio.ensure_future(self._stop.wait())
        try:
            await asyncio.wait({fetch, stopped}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopped.cancel()
        if not fetch.done():
            fetch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await fetch
            return None
        return fetch.result()

    async def _take(self, update: Update) -> bool:
        """Store one update; False when its turn failed and it must be fetched again."""
        if update.skipped:
            log.warning("skipping update %s: %s", update.offset, update.skipped)
            self._confirm(update.offset)
            return True
        try:
            for item in update.items:
                if isinstance(item, Inbound):
                    await self._handle(item)
        except Exception:
            return self._failed(update.offset)
        self._confirm(update.offset)
        return True

    async def _handle(self, inbound: Inbound) -> None:
        outcome = await self.conversations.handle(inbound)
        self.dispatcher.send_soon(outcome.outbox_ids)
        if inbound.callback_id and isinstance(self.connector, AnswersCallbacks):
            self._background(self.connector.answer_callback(inbound.callback_id))

    def _failed(self, update_id: int) -> bool:
        attempts = self._attempts.get(update_id, 0) + 1
        if attempts >= self.options.max_update_attempts:
            log.exception("update %s failed %s times; skipping it", update_id, attempts)
            self._confirm(update_id)
            return True
        log.exception("update %s failed (attempt %s); it will be fetched again", update_id, attempts)
        self._attempts = {update_id: attempts}
        return False

    def _confirm(self, update_id: int) -> None:
        """The update is stored: the next getUpdates confirms it at Telegram."""
        self._attempts.pop(update_id, None)
        self.offset = max(self.offset or 0, update_id + 1)

    def _backoff(self, retry_after: float | None) -> float:
        self._failures += 1
        if retry_after is not None:
            return retry_after
        ceiling = min(self.options.backoff_cap, self.options.backoff_base * 2 ** (self._failures - 1))
        return random.uniform(ceiling / 2, ceiling)

    async def _pause(self, seconds: float) -> None:
        """Sleep, but wake up at once on ``stop``."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stop.wait(), seconds)

    def _background(self, call: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(call)
        self._answers.add(task)
        task.add_done_callback(self._answers.discard)

    async def _finish_answers(self) -> None:
        if self._answers:
            await asyncio.gather(*self._answers, return_exceptions=True)
