"""What only the Redis store promises: key layout, round trips, several processes."""

from __future__ import annotations

import asyncio
import socket
import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from redis.asyncio import Redis

from storage import state_redis
from storage.state import StateUnavailable
from storage.state_redis import RedisStateStore

RedisOpener = Callable[[], RedisStateStore]


@pytest.mark.redis
async def test_every_key_is_prefixed_and_all_but_plain_state_expire(
    redis_opener: RedisOpener, redis_url: str, prefix: str
) -> None:
    store, name = redis_opener(), f"k-{uuid.uuid4().hex}"
    await store.set(f"{name}-kept", {"v": 1})
    await store.set(f"{name}-brief", {"v": 1}, ttl=60)
    await store.claim(name, ttl=60)
    await store.hit(name, limit=5, window=60)
    async with store.lock(name):
        waiter = asyncio.create_task(store.lock(name, wait=5).__aenter__())
        await asyncio.sleep(0.05)  # the waiter is queued: lockq/lockw exist now
        ttls = await _ttls(redis_url, f"*{name}*")
    await waiter
    assert ttls.pop(f"{prefix}state:{name}-kept") == -1  # conversation state: caller's TTL
    assert set(ttls) == {
        f"{prefix}{kind}:{key}"
        for kind, key in [
            ("state", f"{name}-brief"),
            ("claim", name),
            ("rate", name),
            ("lock", name),
            ("lockq", name),
            ("lockw", name),
        ]
    }
    assert all(ttl > 0 for ttl in ttls.values()), ttls


async def _ttls(url: str, pattern: str) -> dict[str, int]:
    client = Redis.from_url(url, decode_responses=True)
    try:
        return {key: await client.pttl(key) async for key in client.scan_iter(match=pattern)}
    finally:
        await client.aclose()


@pytest.mark.redis
async def test_lock_excludes_across_processes(redis_opener: RedisOpener) -> None:
    stores = [redis_opener(), redis_opener()]
    counter, inside, most_inside = 0, 0, 0

    async def turn(index: int) -> None:
        nonlocal counter, inside, most_inside
        async with stores[index % 2].lock("conv:whatsapp:+62812"):
            inside += 1
            most_inside = max(most_inside, inside)
            seen = counter
            await asyncio.sleep(0.001)
            counter = seen + 1
            inside -= 1

    await asyncio.gather(*(turn(i) for i in range(40)))
    assert (counter, most_inside) == (40, 1)


@pytest.mark.redis
async def test_uncontended_lock_costs_one_round_trip_each_way(
    redis_opener: RedisOpener, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = redis_opener()
    async with store.lock("warm-up"):  # loads the scripts (EVALSHA then EVAL once)
        pass
    commands: list[str] = []
    execute = store._redis.execute_command

    async def counting(*args: Any, **options: Any) -> Any:
        commands.append(str(args[0]))
        return await execute(*args, **options)  # type: ignore[no-untyped-call]

    monkeypatch.setattr(store._redis, "execute_command", counting)
    async with store.lock("conv:telegram:5"):
        assert commands == ["EVALSHA"]
    assert commands == ["EVALSHA", "EVALSHA"]


@pytest.mark.redis
async def test_a_release_wakes_the_next_waiters_without_polling(
    redis_opener: RedisOpener, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(state_redis, "_POLL_NEXT", 10.0)  # polls alone would take seconds
    monkeypatch.setattr(state_redis, "_POLL_BEHIND", 10.0)
    store, other_process = redis_opener(), redis_opener()
    order: list[str] = []

    async def take(name: str, via: RedisStateStore) -> None:
        async with via.lock("k", wait=5):
            order.append(name)

    async with store.lock("k"):
        first = asyncio.create_task(take("first", other_process))
        await asyncio.sleep(0.1)
        second = asyncio.create_task(take("second", store))
        await asyncio.sleep(0.1)
        released = time.monotonic()
    await asyncio.gather(first, second)
    assert order == ["first", "second"]
    assert time.monotonic() - released < 1.0


@pytest.mark.redis
async def test_a_dead_waiter_loses_its_place(redis_opener: RedisOpener, prefix: str) -> None:
    store = redis_opener()
    async with store.lock("k"):
        # A waiter in another process queues (lease 200 ms), then that process dies.
        keys = [f"{prefix}{kind}:k" for kind in ("lock", "lockq", "lockw")]
        assert await store._acquire(keys=keys, args=["ghost", 30_000, 200]) == 1  # in line
    started = time.monotonic()
    async with store.lock("k", wait=3):
        assert time.monotonic() - started < 1.0


@pytest.mark.redis
async def test_non_json_live_messages_are_skipped(
    redis_opener: RedisOpener, redis_url: str, prefix: str
) -> None:
    store = redis_opener()
    raw = Redis.from_url(redis_url)
    try:
        async with store.subscribe("web:x") as messages:
            await raw.publish(f"{prefix}chan:web:x", b"\xff not json")
            await store.publish("web:x", {"ok": True})
            assert await asyncio.wait_for(anext(messages), 2) == {"ok": True}
    finally:
        await raw.aclose()


@pytest.mark.redis
async def test_eviction_policy_of_the_test_server_is_safe(redis_opener: RedisOpener) -> None:
    assert await redis_opener().check_eviction_policy()


async def test_unreachable_redis_pings_false_and_raises_state_unavailable() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    store = RedisStateStore.from_url(f"redis://127.0.0.1:{port}/0")
    try:
        assert not await store.ping()
        with pytest.raises(StateUnavailable):
            await store.get("k")
        with pytest.raises(StateUnavailable):
            async with store.lock("k"):
                pytest.fail("locked without Redis")
    finally:
        await store.aclose()
