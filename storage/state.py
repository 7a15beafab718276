"""The conversation state store: state, locks, dedup claims, rate limits, live messages.

One small async protocol, two implementations:

- `storage.state_redis.RedisStateStore`, shared by any number of stateless processes;
- `storage.state_embedded.EmbeddedStateStore`, the default for exactly one process
  (SQLite file for state and claims, in-process locks, counters and queues).

Values are JSON-serialisable dicts; each call returns a fresh copy.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

DEFAULT_PREFIX = "lapor:"


class LockTimeout(Exception):
    """The lock was still held by someone else when the caller's `wait` ran out."""


class StateUnavailable(Exception):
    """The backing store (Redis) could not be reached; the operation did not happen."""


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

    def lock(
        self, key: str, *, expire: float = 30.0, wait: float = 10.0
    ) -> AbstractAsyncContextManager[None]:
        """Exclusive lock across all processes sharing the store.

        Waits up to `wait` s, then raises LockTimeout; a holder that dies releases it
        after `expire` s. Waiters get it roughly in arrival order; only the holder can
        release it (a holder that outlived `expire` releases nothing).
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


def key_digest(key: str) -> str:
    """A short stable digest of `key` for logs: keys hold addresses (phone numbers)."""
    return hashlib.sha256(key.encode()).hexdigest()[:12]


def check_positive(name: str, value: float) -> None:
    """Reject a zero or negative duration the same way in every implementation."""
    if not value > 0:
        raise ValueError(f"{name} must be a positive number of seconds, got {value!r}")


def open_state_store(redis_url: str | None, embedded_path: Path, prefix: str = DEFAULT_PREFIX) -> StateStore:
    """Redis when `redis_url` is set, else the embedded store in `embedded_path`.

    Nothing connects here; call `ping()` to check the store at startup.
    """
    # Imported here so that the embedded default never needs redis-py loaded.
    if redis_url:
        from storage.state_redis import RedisStateStore

        return RedisStateStore.from_url(redis_url, prefix=prefix)
    from storage.state_embedded import EmbeddedStateStore

    return EmbeddedStateStore(embedded_path, prefix=prefix)
