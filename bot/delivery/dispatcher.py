"""The one sender: outbox rows go out through their channel's connector.

Rows are sent right after the transaction that wrote them commits (so a
citizen waits milliseconds, not a poll interval), and a worker loop retries
what failed and picks up what a crashed process had claimed.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.privacy import mask_address
from bot.delivery.receipts import apply_held
from bot.delivery.send_guard import Refused, SendGuard
from connectors.base import Connector
from connectors.messages import SendOutcome, SendResult, channel_of
from dialogues.texts import Texts
from storage import outbox
from storage.models import OutboxMessage, Reporter

log = logging.getLogger("lapor.dispatch")
LEASE = timedelta(seconds=60)


class Dispatcher:
    """Claims outbox rows and sends them, marking each outcome."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        connectors: Mapping[str, Connector],
        clock: Callable[[], datetime],
        worker: str | None = None,
        *,
        texts: Texts | None = None,
    ) -> None:
        """``texts`` words the WhatsApp template a late push is turned into."""
        self.sessions = sessions
        self.connectors = connectors
        self.clock = clock
        self.worker = worker or f"w-{secrets.token_hex(4)}"
        self._tasks: set[asyncio.Task[None]] = set()
        self.guard = SendGuard(sessions, connectors, texts)
        # Periodic jobs (auto-close, reminders) run by the worker loop; they pace themselves.
        self.housekeeping: Callable[[], Awaitable[None]] | None = None

    def send_soon(self, ids: Sequence[int]) -> None:
        """Send these just-committed rows in the background."""
        if not ids:
            return
        task = asyncio.create_task(self.send_ids(ids))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def send_ids(self, ids: Sequence[int]) -> None:
        """Send these rows; a citizen's next row is claimable once the previous is sent."""
        pending = list(ids)
        while pending:
            rows = await outbox.claim_ids(
                self.sessions, pending, worker=self.worker, now=self.clock(), lease=LEASE
            )
            if not rows:
                return
            await self._send_all(rows)
            pending = [i for i in pending if i not in {r.id for r in rows}]

    async def drain(self) -> None:
        """Wait for background sends (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def run_once(self, limit: int = 50) -> int:
        """Claim and send what is due; return how many rows were handled."""
        rows = await outbox.claim_due(
            self.sessions, worker=self.worker, now=self.clock(), lease=LEASE, limit=limit
        )
        await self._send_all(rows)
        return len(rows)

    async def run_forever(self, poll_seconds: float = 1.0) -> None:
        while True:
            try:
                handled = await self.run_once()
                if self.housekeeping is not None:
                    await self.housekeeping()
            except Exception:
                log.exception("worker pass failed")
                handled = 0
            if not handled:
                await asyncio.sleep(poll_seconds)

    async def _send_all(self, rows: Sequence[OutboxMessage]) -> None:
        # One citizen's messages in order; different citizens in parallel.
        by_address: dict[str, list[OutboxMessage]] = {}
        for row in rows:
            by_address.setdefault(row.address, []).append(row)
        await asyncio.gather(*(self._send_in_order(group) for group in by_address.values()))

    async def _send_in_order(self, rows: list[OutboxMessage]) -> None:
        for row in sorted(rows, key=lambda r: r.id):
            if not await self._send(row):
                return

    async def _send(self, row: OutboxMessage) -> bool:
        connector = self.connectors.get(channel_of(row.address))
        if connector is None:
            await self._fail(row, f"no connector for {channel_of(row.address)}", dead=True)
            return False
        message = await self.guard.vet(row, self.clock())
        if isinstance(message, Refused):
            await self._fail(row, message.error, dead=False)
            return True
        try:
            result = await connector.send(message)
        except Exception as exc:  # a connector bug must not kill the worker
            log.exception("connector %s raised", connector.name)
            result = SendResult(SendOutcome.RETRY, error=f"{type(exc).__name__}: {exc}")
        return await self._settle(row, result)

    async def _settle(self, row: OutboxMessage, result: SendResult) -> bool:
        now = self.clock()
        if result.ok:
            provider_id = result.provider_message_ids[-1] if result.provider_message_ids else None
            await outbox.mark_sent(
                self.sessions, row.id, worker=self.worker, provider_message_id=provider_id, now=now
            )
            if provider_id is not None:  # a report may have come before the id was stored
                await apply_held(self, provider_id)
            return True
        error = result.error or result.outcome.value
        if result.outcome in {SendOutcome.RETRY, SendOutcome.RATE_LIMITED}:
            if row.attempts >= outbox.MAX_ATTEMPTS:
                await self._fail(row, error, dead=True)
                return False
            delay = outbox.backoff(row.attempts)
            if result.retry_after is not None:
                delay = max(delay, timedelta(seconds=result.retry_after))
            await outbox.mark_retry(
                self.sessions, row.id, worker=self.worker, error=error, delay=delay, now=now
            )
            return False
        if result.outcome in {SendOutcome.UNREACHABLE, SendOutcome.OPTED_OUT}:
            await self.mark_reporter(row.address, result.outcome)
            await self._fail(row, error, dead=False)
            # The citizen's other queued rows would each meet the same refusal.
            await self._fail_queued(row.address, error)
            return False
        await self._fail(row, error, dead=False)
        if result.outcome is SendOutcome.OUTSIDE_WINDOW:
            await self.resend_as_template(row)
        return True

    async def _fail_queued(self, address: str, error: str) -> None:
        now = self.clock()
        async with self.sessions() as session:
            await session.execute(
                update(OutboxMessage)
                .where(
                    OutboxMessage.address == address, OutboxMessage.status == outbox.OutboxStatus.QUEUED.value
                )
                .values(status=outbox.OutboxStatus.FAILED.value, last_error=error, updated_at=now)
            )
            await session.commit()

    async def resend_as_template(self, row: OutboxMessage) -> None:
        """Queue and send a push the provider refused free-form (outside the window) as the template."""
        retry_id = await self.guard.retry_as_template(row, self.clock())
        if retry_id is not None:
            self.send_soon([retry_id])

    async def _fail(self, row: OutboxMessage, error: str, *, dead: bool) -> None:
        log.warning("send failed to %s: %s", mask_address(row.address), error)
        await outbox.mark_failed(
            self.sessions, row.id, worker=self.worker, error=error, now=self.clock(), dead=dead
        )

    async def mark_reporter(self, address: str, outcome: SendOutcome) -> None:
        """Record that ``address`` opted out (STOP, or the provider says so) or cannot be reached."""
        column = "opted_out" if outcome is SendOutcome.OPTED_OUT else "unreachable"
        async with self.sessions() as session:
            await session.execute(update(Reporter).where(Reporter.address == address).values({column: True}))
            await session.commit()
