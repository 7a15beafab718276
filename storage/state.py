"""The conversation state store: state, locks, dedup claims, rate limits, live messages.

One small async protocol, two implementations:

- `storage.state_redis.RedisStateStore`, shared by any number of stateless processes;
- `storage.state_embedded.EmbeddedStateStore`, the default for exactly one process
  (SQLite file for state and claims, in-process locks, counters and queues).

Values are JSON-serialisable dicts; each call returns a fresh copy.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

DEFAULT_PREFIX = "lapor:"
_QUEUE_SIZE = 1000  # live messages buffered per subscriber before the oldest is dropped

log = logging.getLogger(__name__)


class LockTimeout(Exception):
    """The lock was still held by someone else when the caller's `wait` ran out."""


class StateUnavailable(Exception):
    """Redis (or the SQLite file) failed or timed out; the call may not have taken effect.

    Callers treat it like a database outage: no acknowledgement, the provider retries.
    """


class LockLost(StateUnavailable):
    """The lock's lease ran out (or could not be renewed) while its holder worked.

    Another holder may have taken it: the work must not be committed.
    """


class Lease:
    """What the holder of a lock knows: ``lost`` once someone else could have taken it."""

    def __init__(self) -> None:
        self.lost = False

    def check(self) -> None:
        """Raise LockLost when the lock can no longer be trusted (call before committing)."""
        if self.lost:
            raise LockLost("the lock's lease ran out before the work was committed")


async def keep_renewed(lease: Lease, renew: Callable[[], Awaitable[bool]], expire: float) -> None:
    """Renew a held lock every third of `expire` until cancelled.

    `renew` returns False when the lock is no longer ours. A renewal that fails
    (store unavailable) is tried again; once `expire` has passed since the last
    good one, the lease is marked lost, since another holder may have the lock.
    """
    loop = asyncio.get_running_loop()
    renewed_at = loop.time()
    while not lease.lost:
        await asyncio.sleep(expire / 3)
        try:
            if not await renew():
                lease.lost = True
            else:
                renewed_at = loop.time()
        except StateUnavailable:
            if loop.time() - renewed_at >= expire:
                lease.lost = True
    log.warning("lock lease lost while held (not renewed within %ss)", expire)


@runtime_checkable
class StateStore(Protocol):
    """Conversation state and coordination shared by every process of one deployment."""

    async def get(self, key: str) -> dict[str, Any] | None:
        """The value stored under `key`, or None when absent or expired."""
        ...

    async def set(self, key: str, value: dict[str, Any], ttl: float | None = None) -> None:
        """Store `value` (JSON-serialisable, else TypeError); `ttl` seconds, None keeps it."""
        ...

    async def delete(self, key: str) -> None:
        """Remove `key`; absent keys are fine."""
        ...

    async def forget(self, key: str) -> None:
        """Remove everything named `key`: its state, its claim and its rate counter.

        For erasing a reporter (UU PDP): keys that hold an address go entirely.
        """
        ...

    def lock(
        self, key: str, *, expire: float = 30.0, wait: float = 10.0, renew: bool = False
    ) -> AbstractAsyncContextManager[Lease]:
        """Exclusive lock across all processes sharing the store.

        Waits up to `wait` s, then raises LockTimeout; a holder that dies releases it
        after `expire` s. Waiters get it roughly in arrival order; only the holder can
        release it (a holder that outlived `expire` releases nothing). With `renew`,
        the lease is extended every `expire / 3` s while the context is open, so a
        slow holder keeps it; the `Lease` says when it was lost all the same.
        """
        ...

    async def claim(self, key: str, ttl: float) -> bool:
        """Atomically mark `key` as seen: True the first time, False while it lives."""
        ...

    async def release_claim(self, key: str) -> None:
        """Forget a claim, e.g. when processing failed and the provider will retry."""
        ...

    async def hit(self, key: str, limit: int, window: float) -> bool:
        """Count one hit in a fixed window of `window` s; False once over `limit`."""
        ...

    async def publish(self, channel: str, message: dict[str, Any]) -> None:
        """Deliver `message` to everyone subscribed to `channel` right now (no history)."""
        ...

    def subscribe(self, channel: str) -> AbstractAsyncContextManager[AsyncIterator[dict[str, Any]]]:
        """Live messages published on `channel` while the context is open.

        The subscription is active when the context is entered, so a publish made
        after entering is never missed.
        """
        ...

    async def ping(self) -> bool:
        """True when the backing store answers."""
        ...

    async def aclose(self) -> None:
        """Release connections and files; the instance is unusable afterwards."""
        ...


def key_digest(key: str, secret: bytes) -> str:
    """A keyed digest of `key` for logs (keys hold addresses, phone numbers): HMAC-SHA256, 64 bits.

    An unkeyed hash would be reversed by hashing every phone number; without `secret` it cannot.
    """
    return hmac.new(secret, key.encode("utf-8", "surrogateescape"), hashlib.sha256).hexdigest()[:16]


def digest_secret(given: bytes | None) -> bytes:
    """The store's digest key: the one given, else a random one for this process."""
    return given if given else secrets.token_bytes(32)


def to_json(value: dict[str, Any]) -> str:
    """The stored form of a value: strict JSON (TypeError or ValueError, never a repr)."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def from_json(text: str | bytes) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(text)
    return value


def check_positive(name: str, value: float) -> None:
    """Reject a zero or negative duration the same way in every implementation."""
    if not value > 0:
        raise ValueError(f"{name} must be a positive number of seconds, got {value!r}")


class LocalChannels:
    """In-process fan-out of live messages: channel name -> one queue per subscriber.

    Both stores use it: the embedded one alone, the Redis one behind its single
    pub/sub connection. Each subscriber decodes its own copy of the JSON text.
    """

    def __init__(self) -> None:
        self._queues: dict[str, set[asyncio.Queue[dict[str, Any]]]] = {}

    def add(self, channel: str) -> asyncio.Queue[dict[str, Any]]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(_QUEUE_SIZE)
        self._queues.setdefault(channel, set()).add(queue)
        return queue

    def remove(self, channel: str, queue: asyncio.Queue[dict[str, Any]]) -> bool:
        """Drop one subscriber; True when the channel has none left."""
        queues = self._queues.get(channel, set())
        queues.discard(queue)
        if queues:
            return False
        self._queues.pop(channel, None)
        return True

    def deliver(self, channel: str, data: str | bytes) -> None:
        for queue in self._queues.get(channel, ()):
            try:
                value = json.loads(data)
            except ValueError:  # includes invalid UTF-8 from a stray publisher
                value = None
            if not isinstance(value, dict):
                log.warning("ignored a live message that is not a JSON object")
                return
            if queue.full():
                queue.get_nowait()  # a stalled page loses the oldest reply, not the process
                log.warning("subscriber queue full; dropped the oldest message")
            queue.put_nowait(value)


class QueueIterator:
    """The async iterator a subscriber reads: the messages of its queue, forever."""

    def __init__(self, queue: asyncio.Queue[dict[str, Any]]) -> None:
        self._queue = queue

    def __aiter__(self) -> QueueIterator:
        return self

    async def __anext__(self) -> dict[str, Any]:
        return await self._queue.get()


def open_state_store(
    redis_url: str | None,
    embedded_path: Path,
    prefix: str = DEFAULT_PREFIX,
    *,
    digest_key: bytes | None = None,
) -> StateStore:
    """Redis when `redis_url` is set, else the embedded store in `embedded_path`.

    `digest_key` keys the digests of keys in log lines (default: random per process).

    Nothing connects here; call `ping()` to check the store at startup.
    """
    # Imported here so that the embedded default never needs redis-py loaded.
    if redis_url:
        from storage.state_redis import RedisStateStore

        return RedisStateStore.from_url(redis_url, prefix=prefix, digest_key=digest_key)
    from storage.state_embedded import EmbeddedStateStore

    return EmbeddedStateStore(embedded_path, prefix=prefix, digest_key=digest_key)
