"""Concurrent senders: every row is claimed and sent once, in order per address."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage import outbox
from storage.db import create_engine, session_factory
from tests.storage.conftest import NOW

WORKERS = 4
LEASE = timedelta(minutes=5)
Sessions = async_sessionmaker[AsyncSession]


@pytest.fixture(params=["one engine", "an engine each"])
async def worker_sessions(request: pytest.FixtureRequest, database_url: str) -> AsyncIterator[list[Sessions]]:
    """One session factory per worker: sharing one engine's pool, or one engine each."""
    count = 1 if request.param == "one engine" else WORKERS
    engines = [create_engine(database_url) for _ in range(count)]
    yield [session_factory(engines[n % count]) for n in range(WORKERS)]
    for engine in engines:
        await engine.dispose()


async def _enqueue(sessions: Sessions, addresses: list[str]) -> list[int]:
    async with sessions.begin() as session:
        rows = [
            outbox.enqueue(session, address=a, channel="telegram", payload={"n": n}, now=NOW)
            for n, a in enumerate(addresses)
        ]
    return [row.id for row in rows]


async def test_one_round_claims_each_row_once(worker_sessions: list[Sessions]) -> None:
    ids = await _enqueue(worker_sessions[0], [f"telegram:{n}" for n in range(24)])
    rounds = await asyncio.gather(
        *(
            outbox.claim_due(s, worker=f"w{n}", now=NOW, lease=LEASE, limit=len(ids))
            for n, s in enumerate(worker_sessions)
        )
    )
    claimed = [row.id for rows in rounds for row in rows]
    assert sorted(claimed) == ids  # all of them, none twice
    for n, rows in enumerate(rounds):
        assert {row.claimed_by for row in rows} <= {f"w{n}"}


async def test_senders_drain_the_outbox_once_and_in_order(
    worker_sessions: list[Sessions],
) -> None:
    addresses = [f"telegram:{n % 6}" for n in range(24)]
    ids = await _enqueue(worker_sessions[0], addresses)
    sent: list[tuple[str, int]] = []
    in_flight: set[str] = set()

    async def sender(name: str, sessions: Sessions) -> None:
        idle = 0
        while len(sent) < len(ids) and idle < 500:
            rows = await outbox.claim_due(sessions, worker=name, now=NOW, lease=LEASE, limit=3)
            idle = 0 if rows else idle + 1
            if not rows:
                await asyncio.sleep(0.002)
            for row in rows:
                assert row.address not in in_flight, "two messages to one address at once"
                in_flight.add(row.address)
                sent.append((row.address, row.id))
                await asyncio.sleep(0)  # other senders run mid-send
                in_flight.discard(row.address)  # before the commit that frees the next row
                assert await outbox.mark_sent(
                    sessions, row.id, worker=name, provider_message_id=f"p{row.id}", now=NOW
                )

    await asyncio.gather(*(sender(f"w{n}", s) for n, s in enumerate(worker_sessions)))

    assert sorted(row_id for _, row_id in sent) == ids
    order: dict[str, list[int]] = defaultdict(list)
    for address, row_id in sent:
        order[address].append(row_id)
    assert all(row_ids == sorted(row_ids) for row_ids in order.values())
    assert await outbox.pending_for(worker_sessions[0], "telegram:0") == 0


async def test_racing_for_an_expired_lease(worker_sessions: list[Sessions]) -> None:
    [row_id] = await _enqueue(worker_sessions[0], ["telegram:1"])
    await outbox.claim_due(worker_sessions[0], worker="dead", now=NOW, lease=LEASE)
    later = NOW + LEASE + timedelta(seconds=1)
    rounds = await asyncio.gather(
        *(
            outbox.claim_ids(s, [row_id], worker=f"w{n}", now=later, lease=LEASE)
            for n, s in enumerate(worker_sessions)
        )
    )
    winners = [rows[0] for rows in rounds if rows]
    assert len(winners) == 1
    assert winners[0].attempts == 2
