"""The embedded state store: one process, no Redis.

State and dedup claims live in a SQLite file (WAL), so a restart keeps conversations
and still recognises redelivered provider messages. Locks, rate-limit counters and
live messages are in-process: run exactly one process (and one instance) per file.
Calls are short synchronous SQLite statements on the event loop thread.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import sqlite3
import time
from collections import deque
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from storage.state import (
    DEFAULT_PREFIX,
    Lease,
    LocalChannels,
    LockTimeout,
    QueueIterator,
    StateUnavailable,
    check_positive,
    digest_secret,
    from_json,
    keep_renewed,
    key_digest,
    to_json,
)

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS state (
    key TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at REAL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS claims (
    key TEXT PRIMARY KEY, expires_at REAL NOT NULL
) WITHOUT ROWID;
"""
_PURGE_EVERY = 1000  # writes between sweeps of expired rows and counters


class EmbeddedStateStore:
    """`StateStore` on a SQLite file plus in-process locks, counters and queues."""

    def __init__(self, path: Path, prefix: str = DEFAULT_PREFIX, *, digest_key: bytes | None = None) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._prefix = prefix
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        # WAL + NORMAL: a process crash loses nothing; a power cut may lose the last turn.
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA busy_timeout=1000")
        self._db.execute("PRAGMA secure_delete=ON")  # erased state leaves no bytes behind
        self._db.executescript(_SCHEMA)
        self._closed = False
        self._writes = 0
        self._locks = _LocalLocks(digest_secret(digest_key))
        self._counters = _Counters()
        self._hub = LocalChannels()
        self._purge()

    def _execute(self, sql: str, params: tuple[object, ...] = ()) -> sqlite3.Cursor:
        try:
            return self._db.execute(sql, params)
        except sqlite3.Error as exc:  # disk full, file locked by another process, closed
            raise StateUnavailable(f"SQLite: {exc}") from exc

    async def get(self, key: str) -> dict[str, Any] | None:
        row = self._execute(
            "SELECT value FROM state WHERE key = ? AND (expires_at IS NULL OR expires_at > ?)",
            (self._prefix + key, time.time()),
        ).fetchone()
        return None if row is None else from_json(row[0])

    async def set(self, key: str, value: dict[str, Any], ttl: float | None = None) -> None:
        if ttl is not None:
            check_positive("ttl", ttl)
        expires_at = None if ttl is None else time.time() + ttl
        self._execute(
            "INSERT OR REPLACE INTO state (key, value, expires_at) VALUES (?, ?, ?)",
            (self._prefix + key, to_json(value), expires_at),
        )
        self._wrote()

    async def delete(self, key: str) -> None:
        self._execute("DELETE FROM state WHERE key = ?", (self._prefix + key,))

    async def forget(self, key: str) -> None:
        for table in ("state", "claims"):
            self._execute(f"DELETE FROM {table} WHERE key = ?", (self._prefix + key,))  # noqa: S608
        self._counters.forget(key)
        # secure_delete zeroed the freed cells; this empties the WAL of older page images.
        self._execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def lock(
        self, key: str, *, expire: float = 30.0, wait: float = 10.0, renew: bool = False
    ) -> AbstractAsyncContextManager[Lease]:
        check_positive("expire", expire)
        return _LocalLockContext(self._locks, key, expire, wait, renew)

    async def claim(self, key: str, ttl: float) -> bool:
        check_positive("ttl", ttl)
        now = time.time()
        # Insert, or take over a claim that has expired; a live claim is left alone.
        cursor = self._execute(
            "INSERT INTO claims (key, expires_at) VALUES (?, ?) ON CONFLICT (key) DO UPDATE"
            " SET expires_at = excluded.expires_at WHERE claims.expires_at <= ?",
            (self._prefix + key, now + ttl, now),
        )
        self._wrote()
        return cursor.rowcount == 1

    async def release_claim(self, key: str) -> None:
        self._execute("DELETE FROM claims WHERE key = ?", (self._prefix + key,))

    async def hit(self, key: str, limit: int, window: float) -> bool:
        check_positive("window", window)
        return self._counters.hit(key, limit, window, time.monotonic())

    async def publish(self, channel: str, message: dict[str, Any]) -> None:
        self._hub.deliver(channel, to_json(message))

    def subscribe(self, channel: str) -> AbstractAsyncContextManager[AsyncIterator[dict[str, Any]]]:
        return _LocalSubscription(self._hub, channel)

    async def ping(self) -> bool:
        if self._closed:
            return False
        try:
            self._execute("SELECT 1").fetchone()
        except StateUnavailable:
            return False
        return True

    async def aclose(self) -> None:
        if not self._closed:
            self._closed = True
            self._db.close()

    def _wrote(self) -> None:
        self._writes += 1
        if self._writes % _PURGE_EVERY == 0:
            self._purge()

    def _purge(self) -> None:
        now = time.time()
        self._execute("DELETE FROM state WHERE expires_at <= ?", (now,))
        self._execute("DELETE FROM claims WHERE expires_at <= ?", (now,))
        self._counters.sweep(time.monotonic())


@dataclass
class _Waiter:
    token: str
    expire: float
    future: asyncio.Future[None]


@dataclass
class _KeyLock:
    """One key's holder and FIFO of waiters; ownership is handed over, never raced for."""

    holder: str | None = None
    expires_at: float = 0.0
    waiters: deque[_Waiter] = field(default_factory=deque)

    def take(self, token: str, expire: float, now: float) -> None:
        self.holder, self.expires_at = token, now + expire

    def hand_over(self, now: float) -> None:
        self.holder = None
        if self.waiters:
            waiter = self.waiters.popleft()
            self.take(waiter.token, waiter.expire, now)
            waiter.future.set_result(None)

    def expire_if_due(self, now: float) -> None:
        if self.holder is not None and self.expires_at <= now:
            self.hand_over(now)


class _LocalLocks:
    """In-process locks with the Redis lock's semantics: expiry, FIFO, holder-only release."""

    def __init__(self, digest_key: bytes) -> None:
        self._locks: dict[str, _KeyLock] = {}
        self.digest_key = digest_key

    async def acquire(self, key: str, token: str, expire: float, wait: float) -> None:
        lock = self._locks.setdefault(key, _KeyLock())
        lock.expire_if_due(time.monotonic())
        if lock.holder is None and not lock.waiters:
            lock.take(token, expire, time.monotonic())
            return
        waiter = _Waiter(token, expire, asyncio.get_running_loop().create_future())
        lock.waiters.append(waiter)
        try:
            if await self._wait_for_turn(lock, waiter, time.monotonic() + wait):
                return
        except BaseException:
            self._abandon(key, lock, waiter)
            raise
        self._abandon(key, lock, waiter)
        raise LockTimeout(f"lock {key_digest(key, self.digest_key)} busy after {wait}s")

    async def _wait_for_turn(self, lock: _KeyLock, waiter: _Waiter, deadline: float) -> bool:
        while not waiter.future.done():
            now = time.monotonic()
            if now >= deadline:
                return False
            # Wake at the deadline or when the holder's lease runs out, whichever is first.
            wake = deadline if lock.holder is None else min(deadline, lock.expires_at)
            await asyncio.wait([waiter.future], timeout=max(wake - now, 0.0))
            lock.expire_if_due(time.monotonic())
        return True

    def _abandon(self, key: str, lock: _KeyLock, waiter: _Waiter) -> None:
        if waiter.future.done():
            self.release(key, waiter.token)  # handed over just as we gave up: pass it on
        else:
            waiter.future.cancel()
            lock.waiters.remove(waiter)
            self._forget_if_idle(key)

    def renew(self, key: str, token: str, expire: float) -> bool:
        """Extend the holder's lease; False when `token` no longer holds the lock."""
        lock = self._locks.get(key)
        if lock is None:
            return False
        lock.expire_if_due(time.monotonic())
        if lock.holder != token:
            return False
        lock.expires_at = time.monotonic() + expire
        return True

    def release(self, key: str, token: str) -> bool:
        lock = self._locks.get(key)
        if lock is None:
            return False
        lock.expire_if_due(time.monotonic())
        released = lock.holder == token
        if released:
            lock.hand_over(time.monotonic())
        self._forget_if_idle(key)
        return released

    def _forget_if_idle(self, key: str) -> None:
        lock = self._locks.get(key)
        if lock is not None and lock.holder is None and not lock.waiters:
            del self._locks[key]


class _LocalLockContext:
    def __init__(self, locks: _LocalLocks, key: str, expire: float, wait: float, renew: bool) -> None:
        self._locks, self._key, self._expire, self._wait = locks, key, expire, wait
        self._token = secrets.token_hex(16)
        self._renews, self._lease = renew, Lease()
        self._renewal: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Lease:
        await self._locks.acquire(self._key, self._token, self._expire, self._wait)
        if self._renews:
            self._renewal = asyncio.create_task(keep_renewed(self._lease, self._extend, self._expire))
        return self._lease

    async def _extend(self) -> bool:
        return self._locks.renew(self._key, self._token, self._expire)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._renewal is not None:
            self._renewal.cancel()
            with suppress(asyncio.CancelledError):
                await self._renewal
        if not self._locks.release(self._key, self._token):
            log.warning(
                "lock %s expired before release (held over %ss)",
                key_digest(self._key, self._locks.digest_key),
                self._expire,
            )


class _Counters:
    """Fixed-window hit counters; they reset on restart, which only forgives a burst."""

    def __init__(self) -> None:
        self._windows: dict[str, tuple[int, float]] = {}
        self._hits = 0

    def hit(self, key: str, limit: int, window: float, now: float) -> bool:
        count, ends = self._windows.get(key, (0, 0.0))
        if ends <= now:
            count, ends = 0, now + window
        self._windows[key] = (count + 1, ends)
        self._hits += 1
        if self._hits % _PURGE_EVERY == 0:
            self.sweep(now)
        return count + 1 <= limit

    def forget(self, key: str) -> None:
        self._windows.pop(key, None)

    def sweep(self, now: float) -> None:
        for key in [k for k, (_, ends) in self._windows.items() if ends <= now]:
            del self._windows[key]


class _LocalSubscription:
    def __init__(self, hub: LocalChannels, channel: str) -> None:
        self._hub, self._channel = hub, channel
        self._queue: asyncio.Queue[dict[str, Any]] | None = None

    async def __aenter__(self) -> AsyncIterator[dict[str, Any]]:
        self._queue = self._hub.add(self._channel)
        return QueueIterator(self._queue)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._queue is not None:
            self._hub.remove(self._channel, self._queue)
