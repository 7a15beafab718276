"""What only the embedded store promises, and how the factory chooses a backend."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from storage.state import StateStore, StateUnavailable, open_state_store
from storage.state_embedded import EmbeddedStateStore
from storage.state_redis import RedisStateStore

EmbeddedOpener = Callable[[], EmbeddedStateStore]


def _rows(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return int(
            db.execute("SELECT (SELECT count(*) FROM state) + (SELECT count(*) FROM claims)").fetchone()[0]
        )


async def test_file_is_in_wal_mode(embedded_opener: EmbeddedOpener, tmp_path: Path) -> None:
    embedded_opener()
    with sqlite3.connect(tmp_path / "state.sqlite3") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


async def test_expired_rows_are_purged_on_reopen(embedded_opener: EmbeddedOpener, tmp_path: Path) -> None:
    first = embedded_opener()
    await first.set("k", {"v": 1}, ttl=0.1)
    await first.claim("c", ttl=0.1)
    await first.aclose()
    assert _rows(tmp_path / "state.sqlite3") == 2
    await asyncio.sleep(0.2)
    embedded_opener()
    assert _rows(tmp_path / "state.sqlite3") == 0


async def test_prefixes_share_a_file_without_seeing_each_other(tmp_path: Path) -> None:
    one = EmbeddedStateStore(tmp_path / "s.sqlite3", prefix="one:")
    two = EmbeddedStateStore(tmp_path / "s.sqlite3", prefix="two:")
    try:
        await one.set("k", {"v": 1})
        assert await two.get("k") is None
        assert await one.claim("c", ttl=60)
        assert await two.claim("c", ttl=60)
    finally:
        await one.aclose()
        await two.aclose()


async def test_closed_store_pings_false_and_raises_state_unavailable(
    embedded_opener: EmbeddedOpener,
) -> None:
    store = embedded_opener()
    await store.aclose()
    assert not await store.ping()
    with pytest.raises(StateUnavailable):
        await store.get("k")


async def test_factory_opens_the_embedded_store_without_a_redis_url(tmp_path: Path) -> None:
    store = open_state_store(None, tmp_path / "sub" / "state.sqlite3")
    try:
        assert isinstance(store, EmbeddedStateStore)
        assert isinstance(store, StateStore)
        assert (tmp_path / "sub" / "state.sqlite3").exists()
    finally:
        await store.aclose()


async def test_factory_opens_redis_lazily_and_leaves_the_file_alone(tmp_path: Path) -> None:
    store = open_state_store("redis://127.0.0.1:1/0", tmp_path / "state.sqlite3", prefix="x:")
    try:
        assert isinstance(store, RedisStateStore)
        assert isinstance(store, StateStore)
        assert not (tmp_path / "state.sqlite3").exists()
    finally:
        await store.aclose()
