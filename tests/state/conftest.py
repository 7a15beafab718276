"""Fixtures for the state store tests: an opener per backend, isolated by key prefix."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from redis.asyncio import Redis

from storage.state import StateStore
from storage.state_embedded import EmbeddedStateStore
from storage.state_redis import RedisStateStore

BACKENDS = ["embedded", pytest.param("redis", marks=pytest.mark.redis)]

Opener = Callable[[], StateStore]


@pytest.fixture
def prefix() -> str:
    """A key prefix of this test's own: tests may share one Redis database."""
    return f"lapor-test:{uuid.uuid4().hex}:"


@pytest.fixture
async def embedded_opener(tmp_path: Path, prefix: str) -> AsyncIterator[Opener]:
    """Opens a new embedded store on the same file each call (a "process restart")."""
    opened: list[EmbeddedStateStore] = []

    def opener() -> EmbeddedStateStore:
        opened.append(EmbeddedStateStore(tmp_path / "state.sqlite3", prefix=prefix))
        return opened[-1]

    yield opener
    for store in opened:
        await store.aclose()


@pytest.fixture
async def redis_opener(redis_url: str, prefix: str) -> AsyncIterator[Callable[[], RedisStateStore]]:
    """Opens a new Redis store on the same database each call; deletes our keys after."""
    opened: list[RedisStateStore] = []

    def opener() -> RedisStateStore:
        opened.append(RedisStateStore.from_url(redis_url, prefix=prefix))
        return opened[-1]

    yield opener
    for store in opened:
        await store.aclose()
    await delete_prefix(redis_url, prefix)


@pytest.fixture(params=BACKENDS)
def open_store(request: pytest.FixtureRequest) -> Opener:
    """The opener of each backend in turn: the contract tests run over both."""
    opener: Opener = request.getfixturevalue(f"{request.param}_opener")
    return opener


@pytest.fixture
def store(open_store: Opener) -> StateStore:
    return open_store()


async def delete_prefix(url: str, prefix: str) -> None:
    """Delete only the keys under `prefix` (never FLUSHDB: the database may be shared)."""
    client = Redis.from_url(url)
    try:
        keys = [key async for key in client.scan_iter(match=f"{prefix}*", count=500)]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()
