"""The Redis state store, shared by any number of stateless processes.

Keys (all under `prefix`, default "lapor:"): `state:<key>` (JSON, TTL when given),
`claim:<key>`, `rate:<key>`, `lock:<key>` (always with a TTL), and, only while a lock
is contended, `lockq:<key>` / `lockw:<key>` (the waiters' queue, short TTL).

The server must never evict these keys: run it with `maxmemory-policy noeviction` (or a
`volatile-*` policy, which spares keys without a TTL but may drop locks and claims
early); `check_eviction_policy()` warns at startup. Live messages use pub/sub: a
subscriber holds one connection and misses what is published while it reconnects.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import secrets
from collections.abc import AsyncIterator, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, contextmanager, suppress
from types import TracebackType
from typing import Any

from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.exceptions import RedisError

from storage.state import (
    DEFAULT_PREFIX,
    LockTimeout,
    StateUnavailable,
    check_positive,
    key_digest,
)

log = logging.getLogger(__name__)

# A waiter keeps its place in the queue while it polls at least this often (ms);
# the place of a waiter whose process died is given up after this long.
_WAITER_LEASE_MS = 2000
_POLL_MIN, _POLL_MAX = 0.002, 0.02  # seconds between polls of a contended lock

# KEYS: lock, queue (zset token->arrival ms), leases (hash token->deadline ms).
# ARGV: token, expire ms, waiter lease ms. Returns 1 when the lock was taken.
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
while true do
  local head = redis.call('ZRANGE', KEYS[2], 0, 0)[1]
  if not head or head == ARGV[1] then break end
  if tonumber(redis.call('HGET', KEYS[3], head) or '0') > now then break end
  redis.call('ZREM', KEYS[2], head)
  redis.call('HDEL', KEYS[3], head)
end
if redis.call('EXISTS', KEYS[1]) == 0 then
  local head = redis.call('ZRANGE', KEYS[2], 0, 0)[1]
  if not head or head == ARGV[1] then
    redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
    if head then
      redis.call('ZREM', KEYS[2], ARGV[1])
      redis.call('HDEL', KEYS[3], ARGV[1])
    end
    return 1
  end
end
redis.call('ZADD', KEYS[2], 'NX', now, ARGV[1])
redis.call('HSET', KEYS[3], ARGV[1], now + tonumber(ARGV[3]))
redis.call('PEXPIRE', KEYS[2], ARGV[3])
redis.call('PEXPIRE', KEYS[3], ARGV[3])
return 0
"""

# KEYS: lock. ARGV: token. Compare-and-delete: only the holder releases.
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""

# KEYS: lock, queue, leases. ARGV: token. A waiter that gives up leaves the queue
# (and frees the lock if it was taken in the same instant the caller gave up).
_ABANDON = """
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
end
return 0
"""

# KEYS: counter. ARGV: window ms. Fixed window starting at the first hit.
_HIT = """
local n = redis.call('INCR', KEYS[1])
if n == 1 or redis.call('PTTL', KEYS[1]) < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return n
"""


@contextmanager
def _unavailable() -> Iterator[None]:
    """Turn redis-py, socket and timeout errors into the store's own StateUnavailable."""
    try:
        yield
    except (RedisError, OSError) as exc:  # OSError includes TimeoutError
        raise StateUnavailable(f"Redis: {type(exc).__name__}: {exc}") from exc


@asynccontextmanager
async def _deadline(seconds: float) -> AsyncIterator[None]:
    """One Redis call, bounded by our own deadline (see `RedisStateStore.from_url`)."""
    with _unavailable():
        async with asyncio.timeout(seconds):
            yield


def _ms(seconds: float) -> int:
    return max(1, round(seconds * 1000))


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value or "")


def _dumps(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def _loads(text: str | bytes) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(text)
    return value


class RedisStateStore:
    """`StateStore` on Redis: JSON values, Lua-scripted fair locks, pub/sub."""

    def __init__(self, client: Redis, prefix: str = DEFAULT_PREFIX, timeout: float = 5.0) -> None:
        """`client` must keep raw bytes replies and have no socket_timeout (see `from_url`).

        Each call fails with StateUnavailable after `timeout` s; the store closes `client`.
        """
        self._redis = client
        self._prefix = prefix
        self._timeout = timeout
        self._acquire = client.register_script(_ACQUIRE)
        self._release = client.register_script(_RELEASE)
        self._abandon = client.register_script(_ABANDON)
        self._hit = client.register_script(_HIT)

    @classmethod
    def from_url(cls, url: str, prefix: str = DEFAULT_PREFIX, timeout: float = 5.0) -> RedisStateStore:
        """A store on a new client for `url` (redis:// or rediss://); connects lazily."""
        # Raw bytes replies: a stray non-UTF-8 publish must not break a subscriber.
        # No socket_timeout: with one, redis-py wraps every write in asyncio.wait_for,
        # which on Python 3.11 can swallow a task's cancellation (a cancelled lock waiter
        # then kept polling). Calls are bounded by asyncio.timeout in _deadline instead.
        client = Redis.from_url(url, socket_connect_timeout=2.0, socket_timeout=None)
        return cls(client, prefix, timeout)

    def _deadline(self) -> AbstractAsyncContextManager[None]:
        return _deadline(self._timeout)

    def _key(self, kind: str, key: str) -> str:
        return f"{self._prefix}{kind}:{key}"

    async def get(self, key: str) -> dict[str, Any] | None:
        async with self._deadline():
            raw = await self._redis.get(self._key("state", key))
        return None if raw is None else _loads(raw)

    async def set(self, key: str, value: dict[str, Any], ttl: float | None = None) -> None:
        if ttl is not None:
            check_positive("ttl", ttl)
        text, px = _dumps(value), None if ttl is None else _ms(ttl)
        async with self._deadline():
            await self._redis.set(self._key("state", key), text, px=px)

    async def delete(self, key: str) -> None:
        async with self._deadline():
            await self._redis.delete(self._key("state", key))

    def lock(
        self, key: str, *, expire: float = 30.0, wait: float = 10.0
    ) -> AbstractAsyncContextManager[None]:
        check_positive("expire", expire)
        return _RedisLock(self, key, expire, wait)

    async def claim(self, key: str, ttl: float) -> bool:
        check_positive("ttl", ttl)
        async with self._deadline():
            return bool(await self._redis.set(self._key("claim", key), "1", nx=True, px=_ms(ttl)))

    async def release_claim(self, key: str) -> None:
        async with self._deadline():
            await self._redis.delete(self._key("claim", key))

    async def hit(self, key: str, limit: int, window: float) -> bool:
        check_positive("window", window)
        async with self._deadline():
            count = await self._hit(keys=[self._key("rate", key)], args=[_ms(window)])
        return int(count) <= limit

    async def publish(self, channel: str, message: dict[str, Any]) -> None:
        text = _dumps(message)
        async with self._deadline():
            await self._redis.publish(self._key("chan", channel), text)

    def subscribe(self, channel: str) -> AbstractAsyncContextManager[AsyncIterator[dict[str, Any]]]:
        return _RedisSubscription(self._redis.pubsub(), self._key("chan", channel))

    async def ping(self) -> bool:
        try:
            async with self._deadline():
                return bool(await self._redis.ping())
        except StateUnavailable:
            return False

    async def aclose(self) -> None:
        await self._redis.aclose()

    async def check_eviction_policy(self) -> bool:
        """False (and a warning) when the server may evict keys that have no TTL.

        True when the policy is safe or cannot be read (CONFIG is often disabled on
        managed Redis: then the operator must check it).
        """
        try:
            async with self._deadline():
                config = await self._redis.config_get("maxmemory-policy")
        except StateUnavailable:
            log.info("cannot read maxmemory-policy; make sure it is noeviction")
            return True
        policy = _text(config.get(b"maxmemory-policy") or config.get("maxmemory-policy"))
        if policy.startswith("allkeys-"):
            log.warning("Redis maxmemory-policy is %s: conversation state may be evicted", policy)
            return False
        return True


class _RedisLock:
    """One attempt at one lock: poll the fair-queue script with a short jittered backoff."""

    def __init__(self, store: RedisStateStore, key: str, expire: float, wait: float) -> None:
        self._store = store
        self._key = key
        self._keys = [store._key(kind, key) for kind in ("lock", "lockq", "lockw")]
        self._expire, self._wait = expire, wait
        self._token = secrets.token_hex(16)

    async def __aenter__(self) -> None:
        try:
            if await self._poll_until_taken():
                return
        except BaseException:
            await self._give_up()
            raise
        await self._give_up()
        raise LockTimeout(f"lock {key_digest(self._key)} busy after {self._wait}s")

    async def _poll_until_taken(self) -> bool:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._wait
        delay = _POLL_MIN
        args: list[str | int] = [self._token, _ms(self._expire), _WAITER_LEASE_MS]
        while True:
            async with self._store._deadline():
                if await self._store._acquire(keys=self._keys, args=args):
                    return True
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            await asyncio.sleep(min(random.uniform(delay / 2, delay), remaining))
            delay = min(delay * 1.5, _POLL_MAX)

    async def _give_up(self) -> None:
        # Best effort: if this fails, our queue place lapses after _WAITER_LEASE_MS.
        with suppress(StateUnavailable):
            async with self._store._deadline():
                await self._store._abandon(keys=self._keys, args=[self._token])

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            async with self._store._deadline():
                released = await self._store._release(keys=self._keys[:1], args=[self._token])
        except StateUnavailable:
            # The work inside the lock is done; the lock frees itself after `expire`.
            log.warning("lock %s not released: Redis unavailable", key_digest(self._key))
            return
        if not released:
            log.warning(
                "lock %s expired before release (held over %ss)",
                key_digest(self._key),
                self._expire,
            )


class _RedisSubscription:
    def __init__(self, pubsub: PubSub, channel: str) -> None:
        self._pubsub, self._channel = pubsub, channel

    async def __aenter__(self) -> AsyncIterator[dict[str, Any]]:
        with _unavailable():
            await self._pubsub.subscribe(self._channel)
            # Wait for the server's confirmation: from then on no publish is missed.
            while True:
                message = await self._pubsub.get_message(timeout=5.0)
                if message is None:
                    raise StateUnavailable("Redis did not confirm the subscription")
                if message["type"] == "subscribe":
                    break
        return _PubSubIterator(self._pubsub)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # Closing the connection ends the subscription; no UNSUBSCRIBE round trip needed.
        await self._pubsub.aclose()  # type: ignore[no-untyped-call]


class _PubSubIterator:
    def __init__(self, pubsub: PubSub) -> None:
        self._pubsub = pubsub

    def __aiter__(self) -> _PubSubIterator:
        return self

    async def __anext__(self) -> dict[str, Any]:
        while True:
            with _unavailable():
                message = await self._pubsub.get_message(ignore_subscribe_messages=True, timeout=None)
            if message is None or message["type"] != "message":
                continue
            try:
                value = json.loads(message["data"])
            except ValueError:  # includes invalid UTF-8
                value = None
            if isinstance(value, dict):
                return value
            log.warning("ignored a live message that is not a JSON object")
