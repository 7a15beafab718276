"""The outbox contract: enqueue, claim, mark, retry, order, leases and receipts."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from storage import outbox
from storage.models import OutboxMessage
from storage.outbox import OutboxStatus
from tests.storage.conftest import NOW

LEASE = timedelta(seconds=30)
SECOND = timedelta(seconds=1)
Sessions = async_sessionmaker[AsyncSession]


async def _enqueue(sessions: Sessions, *addresses: str) -> list[int]:
    """Commit one message per address, in order; their ids."""
    async with sessions.begin() as session:
        rows = [
            outbox.enqueue(
                session, address=a, channel=a.split(":")[0], payload={"text": f"{a} #{i}"}, now=NOW
            )
            for i, a in enumerate(addresses)
        ]
    return [row.id for row in rows]


async def _get(sessions: Sessions, row_id: int) -> OutboxMessage:
    async with sessions() as session:
        row = await session.get(OutboxMessage, row_id)
    assert row is not None
    return row


async def _claim(sessions: Sessions, worker: str = "w1", at: timedelta = timedelta(0)) -> list[int]:
    rows = await outbox.claim_due(sessions, worker=worker, now=NOW + at, lease=LEASE)
    return [row.id for row in rows]


class TestCycle:
    async def test_enqueue_claim_send(self, sessions: Sessions) -> None:
        [row_id] = await _enqueue(sessions, "telegram:1")
        assert await outbox.pending_for(sessions, "telegram:1") == 1

        [claimed] = await outbox.claim_due(sessions, worker="w1", now=NOW, lease=LEASE)
        assert claimed.id == row_id
        assert claimed.payload == {"text": "telegram:1 #0"}
        assert (claimed.status, claimed.attempts, claimed.claimed_by) == ("sending", 1, "w1")
        assert claimed.claimed_until == NOW + LEASE
        assert await outbox.pending_for(sessions, "telegram:1") == 1

        sent_at = NOW + SECOND
        assert await outbox.mark_sent(sessions, row_id, worker="w1", provider_message_id="tg-77", now=sent_at)
        row = await _get(sessions, row_id)
        assert (row.status, row.provider_message_id, row.sent_at) == ("sent", "tg-77", sent_at)
        assert row.claimed_until is None
        assert await outbox.pending_for(sessions, "telegram:1") == 0
        assert await _claim(sessions, at=timedelta(hours=1)) == []

    async def test_enqueue_joins_the_callers_transaction(self, sessions: Sessions) -> None:
        with pytest.raises(RuntimeError):
            async with sessions.begin() as session:
                outbox.enqueue(session, address="tel:+62811", channel="sms", payload={}, now=NOW)
                raise RuntimeError("the turn failed")
        assert await outbox.pending_for(sessions, "tel:+62811") == 0
        assert await _claim(sessions) == []

    async def test_not_due_before_next_attempt(self, sessions: Sessions) -> None:
        await _enqueue(sessions, "telegram:1")
        assert await _claim(sessions, at=-SECOND) == []

    async def test_oldest_first_and_limit(self, sessions: Sessions) -> None:
        ids = await _enqueue(sessions, *(f"telegram:{n}" for n in range(5)))
        first = await outbox.claim_due(sessions, worker="w1", now=NOW, lease=LEASE, limit=3)
        assert [r.id for r in first] == ids[:3]
        assert await _claim(sessions) == ids[3:]

    async def test_claimed_rows_stay_readable_after_commit(
        self, engine: AsyncEngine, sessions: Sessions
    ) -> None:
        await _enqueue(sessions, "telegram:1")
        expiring: Sessions = async_sessionmaker(engine, expire_on_commit=True)
        [row] = await outbox.claim_due(expiring, worker="w1", now=NOW, lease=LEASE)
        assert (row.address, row.status) == ("telegram:1", "sending")


class TestRetryAndFailure:
    async def test_retry_waits_for_its_delay(self, sessions: Sessions) -> None:
        [row_id] = await _enqueue(sessions, "telegram:1")
        await _claim(sessions)
        delay = timedelta(seconds=20)
        assert await outbox.mark_retry(sessions, row_id, worker="w1", error="HTTP 502", delay=delay, now=NOW)
        row = await _get(sessions, row_id)
        assert (row.status, row.last_error, row.claimed_by) == ("queued", "HTTP 502", None)
        assert row.next_attempt_at == NOW + delay

        assert await _claim(sessions, at=delay - SECOND) == []
        [again] = await outbox.claim_due(sessions, worker="w2", now=NOW + delay, lease=LEASE)
        assert (again.id, again.attempts, again.claimed_by) == (row_id, 2, "w2")

    @pytest.mark.parametrize(("dead", "status"), [(False, "failed"), (True, "dead")])
    async def test_mark_failed(self, sessions: Sessions, dead: bool, status: str) -> None:
        [row_id] = await _enqueue(sessions, "telegram:1")
        await _claim(sessions)
        assert await outbox.mark_failed(
            sessions, row_id, worker="w1", error="bot blocked", now=NOW, dead=dead
        )
        row = await _get(sessions, row_id)
        assert (row.status, row.last_error, row.claimed_until) == (status, "bot blocked", None)
        assert await outbox.pending_for(sessions, "telegram:1") == 0
        assert await _claim(sessions, at=timedelta(days=1)) == []
        assert [r.id for r in await outbox.failures(sessions)] == [row_id]

    async def test_dead_letter_after_max_attempts(self, sessions: Sessions) -> None:
        """The caller's loop: retry until MAX_ATTEMPTS, then mark dead."""
        [row_id] = await _enqueue(sessions, "telegram:1")
        at = timedelta(0)
        for attempt in range(1, outbox.MAX_ATTEMPTS + 1):
            [row] = await outbox.claim_due(sessions, worker="w1", now=NOW + at, lease=LEASE)
            assert row.attempts == attempt
            if row.attempts >= outbox.MAX_ATTEMPTS:
                await outbox.mark_failed(
                    sessions, row_id, worker="w1", error="timeout", now=NOW + at, dead=True
                )
                break
            await outbox.mark_retry(
                sessions, row_id, worker="w1", error="timeout", delay=SECOND, now=NOW + at
            )
            at += SECOND
        assert (await _get(sessions, row_id)).status == "dead"

    async def test_failures_newest_first(self, sessions: Sessions) -> None:
        ids = await _enqueue(sessions, "telegram:1", "telegram:2", "telegram:3", "telegram:4")
        await _claim(sessions)
        await outbox.mark_failed(sessions, ids[0], worker="w1", error="a", now=NOW + 3 * SECOND)
        await outbox.mark_failed(sessions, ids[1], worker="w1", error="b", now=NOW + 5 * SECOND, dead=True)
        await outbox.mark_sent(sessions, ids[2], worker="w1", provider_message_id="p3", now=NOW)
        await outbox.mark_sent(sessions, ids[3], worker="w1", provider_message_id="p4", now=NOW)
        assert await outbox.apply_receipt(sessions, "p3", "undelivered", error="30003", now=NOW + 4 * SECOND)

        assert [r.id for r in await outbox.failures(sessions)] == [ids[1], ids[2], ids[0]]
        assert [r.id for r in await outbox.failures(sessions, limit=1)] == [ids[1]]


class TestOrderPerAddress:
    async def test_only_the_head_of_each_address_is_claimed(self, sessions: Sessions) -> None:
        a1, b1, a2, a3 = await _enqueue(sessions, "telegram:a", "telegram:b", "telegram:a", "telegram:a")
        assert await _claim(sessions) == [a1, b1]
        assert await _claim(sessions, "w2") == []

        await outbox.mark_sent(sessions, a1, worker="w1", provider_message_id=None, now=NOW)
        assert await _claim(sessions) == [a2]

        # A retried head still holds back the rest, even while it waits.
        await outbox.mark_retry(sessions, a2, worker="w1", error="429", delay=10 * SECOND, now=NOW)
        assert await _claim(sessions, at=5 * SECOND) == []
        assert await _claim(sessions, at=10 * SECOND) == [a2]
        await outbox.mark_failed(sessions, a2, worker="w1", error="400", now=NOW)
        assert await _claim(sessions, at=10 * SECOND) == [a3]

    async def test_claim_ids_follows_the_same_rules(self, sessions: Sessions) -> None:
        a1, a2, b1 = await _enqueue(sessions, "telegram:a", "telegram:a", "telegram:b")
        claim = outbox.claim_ids
        assert [r.id for r in await claim(sessions, [a2], worker="w1", now=NOW, lease=LEASE)] == []
        claimed = await claim(sessions, [a1, a2, b1], worker="w1", now=NOW, lease=LEASE)
        assert [r.id for r in claimed] == [a1, b1]
        # Already claimed by someone else: skipped.
        assert await claim(sessions, [a1, b1], worker="w2", now=NOW, lease=LEASE) == []
        assert await claim(sessions, [], worker="w2", now=NOW, lease=LEASE) == []


class TestLeases:
    async def test_expired_lease_is_reclaimed_and_old_worker_loses(self, sessions: Sessions) -> None:
        [row_id] = await _enqueue(sessions, "telegram:1")
        assert await _claim(sessions, "w1") == [row_id]
        assert await _claim(sessions, "w2", at=LEASE) == []  # still held at the last instant

        [row] = await outbox.claim_due(sessions, worker="w2", now=NOW + LEASE + SECOND, lease=LEASE)
        assert (row.claimed_by, row.attempts) == ("w2", 2)

        late = NOW + LEASE + 2 * SECOND
        assert not await outbox.mark_sent(sessions, row_id, worker="w1", provider_message_id="old", now=late)
        assert not await outbox.mark_retry(sessions, row_id, worker="w1", error="x", delay=SECOND, now=late)
        assert not await outbox.mark_failed(sessions, row_id, worker="w1", error="x", now=late)
        row = await _get(sessions, row_id)
        assert (row.status, row.claimed_by, row.provider_message_id) == ("sending", "w2", None)

        assert await outbox.mark_sent(sessions, row_id, worker="w2", provider_message_id="new", now=late)
        row = await _get(sessions, row_id)
        assert (row.status, row.provider_message_id) == ("sent", "new")

    async def test_expired_but_unclaimed_lease_still_records_the_send(self, sessions: Sessions) -> None:
        [row_id] = await _enqueue(sessions, "telegram:1")
        await _claim(sessions, "w1")
        assert await outbox.mark_sent(
            sessions, row_id, worker="w1", provider_message_id="p", now=NOW + 2 * LEASE
        )
        assert await _claim(sessions, "w2", at=3 * LEASE) == []

    async def test_marks_apply_once(self, sessions: Sessions) -> None:
        [row_id] = await _enqueue(sessions, "telegram:1")
        await _claim(sessions)
        assert await outbox.mark_sent(sessions, row_id, worker="w1", provider_message_id="p", now=NOW)
        assert not await outbox.mark_failed(sessions, row_id, worker="w1", error="x", now=NOW)
        assert (await _get(sessions, row_id)).status == "sent"


class TestBackoff:
    @pytest.mark.parametrize("attempts", [0, 1, 2, 5, 9, 10, 50, 10_000])
    def test_bounds(self, attempts: int) -> None:
        rng = random.Random(attempts)
        ceiling = min(600.0, 2.0 * 2 ** min(max(attempts - 1, 0), 30))
        delays = [outbox.backoff(attempts, rng=rng).total_seconds() for _ in range(400)]
        assert all(0.0 <= d <= ceiling for d in delays)
        # Full jitter: spread over the whole range, not clustered at the top.
        assert min(delays) < 0.1 * ceiling
        assert max(delays) > 0.9 * ceiling

    def test_custom_base_and_cap(self) -> None:
        rng = random.Random(7)
        delays = [outbox.backoff(4, base=0.5, cap=3.0, rng=rng) for _ in range(200)]
        assert max(delays) <= timedelta(seconds=3.0)
        assert max(delays) > timedelta(seconds=2.5)


class TestReceipts:
    async def _sent(self, sessions: Sessions, provider_id: str) -> int:
        [row_id] = await _enqueue(sessions, f"whatsapp:+62{provider_id}")
        await _claim(sessions)
        await outbox.mark_sent(sessions, row_id, worker="w1", provider_message_id=provider_id, now=NOW)
        return row_id

    async def test_reports_only_move_forward(self, sessions: Sessions) -> None:
        cases = [  # reports in arrival order, whether each changed the row, final status
            (["delivered"], [True], "delivered"),
            (["delivered", "sent"], [True, False], "delivered"),
            (["delivered", "undelivered"], [True, False], "delivered"),
            (["queued", "sending", "sent"], [False, False, False], "sent"),
            (["undelivered", "delivered"], [True, False], "undelivered"),
            (["failed", "sent", "undelivered"], [True, False, False], "failed"),
            (["delivered", "delivered"], [True, False], "delivered"),
        ]
        for n, (reports, changed, final) in enumerate(cases):
            row_id = await self._sent(sessions, f"SM{n}")
            results = [
                await outbox.apply_receipt(sessions, f"SM{n}", report, error=None, now=NOW)
                for report in reports
            ]
            assert results == changed, reports
            assert (await _get(sessions, row_id)).status == final, reports

    async def test_failure_report_keeps_error_and_send_time(self, sessions: Sessions) -> None:
        row_id = await self._sent(sessions, "SM-2")
        assert await outbox.apply_receipt(
            sessions, "SM-2", OutboxStatus.UNDELIVERED, error="30005 unknown handset", now=NOW + SECOND
        )
        row = await _get(sessions, row_id)
        assert (row.last_error, row.sent_at, row.updated_at) == (
            "30005 unknown handset",
            NOW,
            NOW + SECOND,
        )
        assert [r.id for r in await outbox.failures(sessions)] == [row_id]

    async def test_unknown_provider_id(self, sessions: Sessions) -> None:
        await self._sent(sessions, "SM-3")
        assert not await outbox.apply_receipt(sessions, "SM404", "delivered", error=None, now=NOW)

    async def test_unknown_status_is_refused(self, sessions: Sessions) -> None:
        row_id = await self._sent(sessions, "SM1")
        for status in ["read", "dead", ""]:
            with pytest.raises(ValueError):
                await outbox.apply_receipt(sessions, "SM1", status, error=None, now=NOW)
        assert (await _get(sessions, row_id)).status == "sent"
