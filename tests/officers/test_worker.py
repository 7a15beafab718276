"""The worker: pushes survive a crash between claim and send, and parallel workers send each once."""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from datetime import timedelta

import httpx
from sqlalchemy import select

from bot.delivery.dispatcher import LEASE, Dispatcher
from bot.officers.pushes import Push, enqueue_push
from bot.runtime.process import Runtime
from connectors.messages import Outbound, SendOutcome, SendResult
from storage import outbox
from storage.models import Complaint, OutboxMessage, Reporter
from tests.support import Clock
from tests.support.officers import RecordingConnector, bearer, insert_complaint, officer


async def _queue_pushes(runtime: Runtime, count: int, addresses: int | None = None) -> list[str]:
    """``count`` committed, unsent pushes (a process that died right after commit); their tickets."""
    tickets = [
        await insert_complaint(runtime, "PUPR", address=f"fake:+62812000{n % (addresses or count):05d}")
        if n < (addresses or count)
        else await _another(runtime, n % (addresses or count))
        for n in range(count)
    ]
    async with runtime.sessions() as session:
        for ticket in tickets:
            complaint = (await session.scalars(select(Complaint).where(Complaint.ticket == ticket))).one()
            reporter = await session.get(Reporter, complaint.reporter_id)
            assert reporter is not None
            push = Push("push.in_progress", note=ticket)
            enqueue_push(session, runtime.texts, reporter, complaint, None, push, runtime.clock(), None)
        await session.commit()
    return tickets


async def _another(runtime: Runtime, n: int) -> str:
    """A second complaint by the reporter at address ``n``."""
    ticket = await insert_complaint(runtime, "PUPR", address=f"fake:+62812999{n:05d}")
    async with runtime.sessions() as session:
        complaint = (await session.scalars(select(Complaint).where(Complaint.ticket == ticket))).one()
        owner = (
            await session.scalars(select(Reporter).where(Reporter.address == f"fake:+62812000{n:05d}"))
        ).one()
        complaint.reporter_id = owner.id
        await session.commit()
    return ticket


def _delivered(fake: RecordingConnector) -> Counter[str]:
    """How often each push (its note carries its ticket) reached the provider."""
    return Counter(re.findall(r"Catatan petugas: (\S+)", "\n".join(m.text for m in fake.sent)))


async def test_a_worker_dying_after_its_claim_loses_nothing(
    runtime: Runtime, fake: RecordingConnector, clock: Clock
) -> None:
    [ticket] = await _queue_pushes(runtime, 1)

    claimed = await outbox.claim_due(runtime.sessions, worker="A", now=clock(), lease=LEASE)
    # Worker A dies here: it never sends and never marks the row.
    early = Dispatcher(runtime.sessions, {"fake": fake}, clock, worker="B")
    assert len(claimed) == 1 and await early.run_once() == 0
    clock.advance(seconds=LEASE.total_seconds() + 1)
    restarted = Dispatcher(runtime.sessions, {"fake": fake}, clock, worker="B")

    handled = await restarted.run_once()
    again = await restarted.run_once()
    late_mark = await outbox.mark_sent(
        runtime.sessions, claimed[0].id, worker="A", provider_message_id="late", now=clock()
    )

    assert (handled, again, late_mark) == (1, 0, False)
    assert _delivered(fake) == Counter({ticket: 1})
    async with runtime.sessions() as session:
        row = (await session.scalars(select(OutboxMessage))).one()
    assert (row.status, row.claimed_by, row.attempts) == ("sent", "B", 2)


async def test_four_workers_send_each_push_exactly_once(runtime: Runtime, fake: RecordingConnector) -> None:
    tickets = await _queue_pushes(runtime, 20, addresses=16)
    workers = [Dispatcher(runtime.sessions, {"fake": fake}, runtime.clock, worker=f"w{n}") for n in range(4)]

    for _ in range(10):
        handled = await asyncio.gather(*(w.run_once(limit=3) for w in workers))
        if not any(handled):
            break

    assert _delivered(fake) == Counter(dict.fromkeys(tickets, 1))
    async with runtime.sessions() as session:
        statuses = (await session.scalars(select(OutboxMessage.status))).all()
    assert set(statuses) == {"sent"} and len(statuses) == 20


async def test_429_is_honoured_and_retries_end_in_the_dead_letter(
    client: httpx.AsyncClient, runtime: Runtime, fake: RecordingConnector, clock: Clock
) -> None:
    admin = await officer(runtime, "root@lapor.go.id", role="admin")
    await _queue_pushes(runtime, 1)
    limited = _RateLimited()
    worker = Dispatcher(runtime.sessions, {"fake": limited}, clock, worker="w")

    await worker.run_once()
    async with runtime.sessions() as session:
        row = (await session.scalars(select(OutboxMessage))).one()
    assert row.status == "queued" and row.next_attempt_at >= clock() + timedelta(seconds=30)
    for _ in range(outbox.MAX_ATTEMPTS + 2):
        clock.advance(minutes=15)
        await worker.run_once()

    failures = (await client.get("/api/v1/outbox/failures", headers=bearer(admin))).json()
    assert [(f["status"], f["attempts"]) for f in failures] == [("dead", outbox.MAX_ATTEMPTS)]
    assert len(limited.sent) == outbox.MAX_ATTEMPTS and fake.sent == []


class _RateLimited(RecordingConnector):
    """A provider that always answers 429 with Retry-After: 30."""

    async def send(self, outbound: Outbound) -> SendResult:
        self.sent.append(outbound)
        return SendResult(SendOutcome.RATE_LIMITED, retry_after=30, error="429 Too Many Requests")
