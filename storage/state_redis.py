"""The Redis state store, shared by any number of stateless processes.

Keys (all under `prefix`, default "lapor:"): `state:<key>` (JSON, TTL when given),
`claim:<key>`, `rate:<key>`, `lock:<key>` (always with a TTL), and, only while a lock
is contended, `lockq:<key>` / `lockw:<key>` (the waiters' queue, short TTL). A release
wakes the waiters through the pub/sub channel `unlocked:<key>`.

The server must never evict these keys: run it with `maxmemory-policy noeviction` (or a
`volatile-*` policy, which spares keys without a TTL but may drop locks and claims
early); `check_eviction_policy()` warns at startup. Live messages use pub/sub over one
connection per process and are lost while that connection reconnects.
"""

from __future__ import annotations

import asyncio
import logging
import random
import secrets
from collections.abc import AsyncIterator, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, contextmanager, suppress
from types import TracebackType
from typing import Any

from redis.asyncio import BlockingConnectionPool, Redis
from redis.asyncio.client import PubSub
from redis.exceptions import RedisError

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

# A waiter keeps its place in the queue while it polls at least this often (ms);
# the place of a waiter whose process died is given up after this long.
_WAITER_LEASE_MS = 2000
# Seconds between fallback polls of a contended lock, for the next in line and the rest.
_POLL_NEXT, _POLL_BEHIND = 0.05, 0.2

# KEYS: lock, queue (zset token->arrival ms), leases (hash token->deadline ms).
# ARGV: token, expire ms, waiter lease ms.
# Returns 0 when the lock was taken, else the caller's place in line (1 = next).
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
    return 0
  end
end
redis.call('ZADD', KEYS[2], 'NX', now, ARGV[1])
redis.call('HSET', KEYS[3], ARGV[1], now + tonumber(ARGV[3]))
redis.call('PEXPIRE', KEYS[2], ARGV[3])
redis.call('PEXPIRE', KEYS[3], ARGV[3])
return redis.call('ZRANK', KEYS[2], ARGV[1]) + 1
"""

# KEYS: lock, queue. ARGV: token, wake-up channel. Compare-and-delete: only the
# holder releases; the next waiter in line (if any) is woken at once, by its token.
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  local head = redis.call('ZRANGE', KEYS[2], 0, 0)[1]
  if head then
    redis.call('PUBLISH', ARGV[2], '{"next":"' .. head .. '"}')
  end
  return 1
end
return 0
"""

# KEYS: lock, queue, leases. ARGV: token, wake-up channel. A waiter that gives up
# leaves the queue (and frees the lock if it was taken in the instant it gave up).
_ABANDON = """
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  local head = redis.call('ZRANGE', KEYS[2], 0, 0)[1]
  if head then
    redis.call('PUBLISH', ARGV[2], '{"next":"' .. head .. '"}')
  end
end
return 0
"""

# KEYS: lock. ARGV: token, expire ms. Only the holder extends its lease.
_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
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


class RedisStateStore:
    """`StateStore` on Redis: JSON values, Lua-scripted fair locks, pub/sub."""

    def __init__(
        self,
        client: Redis,
        prefix: str = DEFAULT_PREFIX,
        timeout: float = 5.0,
        *,
        digest_key: bytes | None = None,
    ) -> None:
        """`client` must keep raw bytes replies and have no socket_timeout (see `from_url`).

        Each call fails with StateUnavailable after `timeout` s; the store closes `client`.
        """
        self._redis = client
        self._prefix = prefix
        self._digest_key = digest_secret(digest_key)
        self._timeout = timeout
        self._acquire = client.register_script(_ACQUIRE)
        self._release = client.register_script(_RELEASE)
        self._abandon = client.register_script(_ABANDON)
        self._renew = client.register_script(_RENEW)
        self._hit = client.register_script(_HIT)
        self._channels = _RedisChannels(client, timeout)

    @classmethod
    def from_url(
        cls,
        url: str,
        prefix: str = DEFAULT_PREFIX,
        *,
        timeout: float = 5.0,
        max_connections: int = 64,
        digest_key: bytes | None = None,
    ) -> RedisStateStore:
        """A store on a new client for `url` (redis:// or rediss://); connects lazily.

        At most `max_connections` commands run at once; more wait for a connection
        (within `timeout`) instead of failing, so a burst of turns queues up.
        """
        # Raw bytes replies: a stray non-UTF-8 publish must not break a subscriber.
        # No socket_timeout: with one, redis-py wraps every write in asyncio.wait_for,
        # which on Python 3.11 can swallow a task's cancellation (a cancelled lock waiter
        # then kept polling). Calls are bounded by asyncio.timeout in _deadline instead.
        pool = BlockingConnectionPool.from_url(
            url,
            max_connections=max_connections,
            timeout=None,
            socket_connect_timeout=2.0,
            socket_timeout=None,
        )
        return cls(Redis.from_pool(pool), prefix, timeout, digest_key=digest_key)

    def _deadline(self) -> AbstractAsyncContextManager[None]:
        return _deadline(self._timeout)

    def digest(self, key: str) -> str:
        """`key` as log lines name it: a keyed digest (keys hold addresses)."""
        return key_digest(key, self._digest_key)

    def _key(self, kind: str, key: str) -> str:
        return f"{self._prefix}{kind}:{key}"

    async def get(self, key: str) -> dict[str, Any] | None:
        async with self._deadline():
            raw = await self._redis.get(self._key("state", key))
        return None if raw is None else from_json(raw)

    async def set(self, key: str, value: dict[str, Any], ttl: float | None = None) -> None:
        if ttl is not None:
            check_positive("ttl", ttl)
        text, px = to_json(value), None if ttl is None else _ms(ttl)
        async with self._deadline():
            await self._redis.set(self._key("state", key), text, px=px)

    async def delete(self, key: str) -> None:
        async with self._deadline():
            await self._redis.delete(self._key("state", key))

    async def forget(self, key: str) -> None:
        async with self._deadline():
            await self._redis.delete(*(self._key(kind, key) for kind in ("state", "claim", "rate")))

    def lock(
        self, key: str, *, expire: float = 30.0, wait: float = 10.0, renew: bool = False
    ) -> AbstractAsyncContextManager[Lease]:
        check_positive("expire", expire)
        return _RedisLock(self, key, expire, wait, renew)

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
        text = to_json(message)
        async with self._deadline():
            await self._redis.publish(self._key("chan", channel), text)

    def subscribe(self, channel: str) -> AbstractAsyncContextManager[AsyncIterator[dict[str, Any]]]:
        return _RedisSubscription(self._channels, self._key("chan", channel))

    async def ping(self) -> bool:
        try:
            async with self._deadline():
                return bool(await self._redis.ping())
        except StateUnavailable:
            return False

    async def aclose(self) -> None:
        await self._channels.aclose()
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
        policy = _text(config.get("maxmemory-policy"))
        if policy.startswith("allkeys-"):
            log.warning("Redis maxmemory-policy is %s: conversation state may be evicted", policy)
            return False
        return True


class _RedisLock:
    """One attempt at one lock: the fair-queue script, woken by the holder's release."""

    def __init__(self, store: RedisStateStore, key: str, expire: float, wait: float, renew: bool) -> None:
        self._store = store
        self._renews = renew
        self._lease = Lease()
        self._renewal: asyncio.Task[None] | None = None
        self._key = key
        self._keys = [store._key(kind, key) for kind in ("lock", "lockq", "lockw")]
        self._expire, self._wait = expire, wait
        self._token = secrets.token_hex(16)
        self._channel = store._key("unlocked", key)  # pub/sub channel, not a key

    async def __aenter__(self) -> Lease:
        deadline = asyncio.get_running_loop().time() + self._wait
        try:
            if await self._take_in_turn(deadline):
                if self._renews:
                    self._renewal = asyncio.create_task(keep_renewed(self._lease, self._extend, self._expire))
                return self._lease
        except BaseException:
            await self._give_up()
            raise
        await self._give_up()
        raise LockTimeout(f"lock {self._store.digest(self._key)} busy after {self._wait}s")

    async def _extend(self) -> bool:
        async with self._store._deadline():
            renewed = await self._store._renew(keys=self._keys[:1], args=[self._token, _ms(self._expire)])
        return bool(renewed)

    async def _stop_renewing(self) -> None:
        if self._renewal is not None:
            self._renewal.cancel()
            with suppress(asyncio.CancelledError):
                await self._renewal

    async def _try(self) -> int:
        """0 when taken, else our place in line; also renews our place's lease."""
        args: list[str | int] = [self._token, _ms(self._expire), _WAITER_LEASE_MS]
        async with self._store._deadline():
            return int(await self._store._acquire(keys=self._keys, args=args))

    async def _take_in_turn(self, deadline: float) -> bool:
        if await self._try() == 0:
            return True  # uncontended: one round trip
        loop = asyncio.get_running_loop()
        async with self._store._channels.wakeups(self._channel) as wakeup:
            while (place := await self._try()) != 0:  # tried again: we may have missed it
                remaining = deadline - loop.time()
                if remaining <= 0:
                    return False
                # A release wakes us at once; the poll is for holders that died (no
                # release, the lease runs out) and for wake-ups lost in a reconnect.
                pause = _POLL_NEXT if place == 1 else _POLL_BEHIND
                await wakeup.wait(self._token, min(random.uniform(pause / 2, pause), remaining))
        return True

    async def _give_up(self) -> None:
        # Best effort: if this fails, our queue place lapses after _WAITER_LEASE_MS.
        with suppress(StateUnavailable):
            async with self._store._deadline():
                await self._store._abandon(keys=self._keys, args=[self._token, self._channel])

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self._stop_renewing()
        try:
            async with self._store._deadline():
                released = await self._store._release(keys=self._keys[:2], args=[self._token, self._channel])
        except StateUnavailable:
            # The work inside the lock is done; the lock frees itself after `expire`.
            log.warning("lock %s not released: Redis unavailable", self._store.digest(self._key))
            return
        if not released:
            log.warning(
                "lock %s expired before release (held over %ss)",
                self._store.digest(self._key),
                self._expire,
            )


class _RedisChannels:
    """All live channels of one process over a single pub/sub connection.

    A reader task fans messages out to in-process queues; SUBSCRIBE is sent for the
    first local subscriber of a channel and UNSUBSCRIBE after the last one leaves.
    redis-py resubscribes after a reconnect; messages published meanwhile are lost.
    """

    def __init__(self, client: Redis, timeout: float) -> None:
        self._client, self._timeout = client, timeout
        self._local = LocalChannels()
        self._pubsub: PubSub | None = None
        self._reader: asyncio.Task[None] | None = None
        self._control = asyncio.Lock()  # one SUBSCRIBE/UNSUBSCRIBE at a time
        self._subscribed: set[str] = set()
        self._pending: dict[str, asyncio.Future[None]] = {}  # awaiting confirmation

    async def join(self, channel: str) -> asyncio.Queue[dict[str, Any]]:
        queue = self._local.add(channel)
        try:
            async with _deadline(self._timeout):
                async with self._control:
                    if channel not in self._subscribed:
                        await self._subscribe(channel)
                confirmed = self._pending.get(channel)
                if confirmed is not None:
                    # From the confirmation on, no publish can be missed.
                    await asyncio.shield(confirmed)
        except BaseException:
            await self.leave(channel, queue)
            raise
        return queue

    async def _subscribe(self, channel: str) -> None:
        if self._pubsub is None:
            self._pubsub = self._client.pubsub()
        self._pending[channel] = asyncio.get_running_loop().create_future()
        await self._pubsub.subscribe(channel)
        self._subscribed.add(channel)
        if self._reader is None:
            self._reader = asyncio.create_task(self._read(self._pubsub))

    async def leave(self, channel: str, queue: asyncio.Queue[dict[str, Any]]) -> None:
        async with self._control:
            if not self._local.remove(channel, queue) or channel not in self._subscribed:
                return
            self._subscribed.discard(channel)
            self._pending.pop(channel, None)
            if self._pubsub is not None:
                with suppress(RedisError, OSError):
                    await self._pubsub.unsubscribe(channel)

    async def _read(self, pubsub: PubSub) -> None:
        delay = 0.1
        while True:
            try:
                message = await pubsub.get_message(timeout=1.0)
            except Exception as exc:  # the reader must outlive any one failure
                log.warning("live channel connection lost (%s); retrying", type(exc).__name__)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
                continue
            delay = 0.1
            if message is not None:
                self._dispatch(message)

    def _dispatch(self, message: dict[str, Any]) -> None:
        channel = _text(message["channel"])
        if message["type"] == "message":
            self._local.deliver(channel, message["data"])
        elif message["type"] == "subscribe":
            confirmed = self._pending.pop(channel, None)
            if confirmed is not None and not confirmed.done():
                confirmed.set_result(None)

    @asynccontextmanager
    async def wakeups(self, channel: str) -> AsyncIterator[_Wakeup]:
        """Wake-ups on `channel`; plain polling when pub/sub is unavailable."""
        try:
            queue: asyncio.Queue[dict[str, Any]] | None = await self.join(channel)
        except StateUnavailable:
            queue = None
        try:
            yield _Wakeup(queue)
        finally:
            if queue is not None:
                await self.leave(channel, queue)

    async def aclose(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with suppress(asyncio.CancelledError):
                await self._reader
        if self._pubsub is not None:
            await self._pubsub.aclose()


class _Wakeup:
    def __init__(self, queue: asyncio.Queue[dict[str, Any]] | None) -> None:
        self._queue = queue

    async def wait(self, token: str, at_most: float) -> None:
        """Return when `token` is called next in line, or after `at_most` s."""
        if self._queue is None:
            await asyncio.sleep(at_most)
            return
        # Only the named waiter retries: a release costs one round trip, not a herd.
        with suppress(TimeoutError):
            async with asyncio.timeout(at_most):
                while (await self._queue.get()).get("next") != token:
                    pass


class _RedisSubscription:
    def __init__(self, channels: _RedisChannels, channel: str) -> None:
        self._channels, self._channel = channels, channel
        self._queue: asyncio.Queue[dict[str, Any]] | None = None

    async def __aenter__(self) -> AsyncIterator[dict[str, Any]]:
        self._queue = await self._channels.join(self._channel)
        return QueueIterator(self._queue)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._queue is not None:
            await self._channels.leave(self._channel, self._queue)
