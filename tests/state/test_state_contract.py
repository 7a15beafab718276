"""The StateStore contract, run over every backend (embedded SQLite and Redis)."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import pytest

from storage.state import LockTimeout, StateStore
from tests.state.conftest import Opener

CONVERSATION: dict[str, Any] = {
    "address": "telegram:12345",
    "slots": {
        "description": "Jalan berlubang di depan SDN 3, sudah 2 minggu 🚧",
        "location": "Kab. Bandung – Kec. Cileunyi",
        "note": "שלום \u202e مرحبا 你好",
    },
    "step": 3,
    "confidential": True,
    "choices": ["ya", "tidak", None],
}


async def _next(messages: Any, timeout: float = 2.0) -> dict[str, Any]:
    result: dict[str, Any] = await asyncio.wait_for(anext(messages), timeout)
    return result


class TestValues:
    async def test_get_missing_is_none(self, store: StateStore) -> None:
        assert await store.get("conv:nobody") is None

    async def test_round_trip_keeps_unicode_and_nesting(self, store: StateStore) -> None:
        await store.set("conv:telegram:12345", CONVERSATION)
        assert await store.get("conv:telegram:12345") == CONVERSATION

    async def test_set_replaces_and_delete_removes(self, store: StateStore) -> None:
        await store.set("k", {"v": 1})
        await store.set("k", {"v": 2})
        assert await store.get("k") == {"v": 2}
        await store.delete("k")
        assert await store.get("k") is None
        await store.delete("k")  # deleting an absent key is fine

    async def test_returns_a_copy(self, store: StateStore) -> None:
        value = {"slots": {"a": 1}}
        await store.set("k", value)
        value["slots"]["a"] = 2
        got = await store.get("k")
        assert got == {"slots": {"a": 1}}
        got["slots"]["a"] = 3
        assert await store.get("k") == {"slots": {"a": 1}}

    async def test_non_json_value_is_refused(self, store: StateStore) -> None:
        with pytest.raises(TypeError):
            await store.set("k", {"when": object()})
        assert await store.get("k") is None

    async def test_ttl_expires(self, store: StateStore) -> None:
        await store.set("k", {"v": 1}, ttl=0.3)
        assert await store.get("k") == {"v": 1}
        await asyncio.sleep(0.45)
        assert await store.get("k") is None

    async def test_set_without_ttl_clears_an_earlier_ttl(self, store: StateStore) -> None:
        await store.set("k", {"v": 1}, ttl=0.2)
        await store.set("k", {"v": 2})
        await asyncio.sleep(0.3)
        assert await store.get("k") == {"v": 2}

    @pytest.mark.parametrize("ttl", [0, -1.0])
    async def test_non_positive_durations_are_refused(self, store: StateStore, ttl: float) -> None:
        with pytest.raises(ValueError, match="positive"):
            await store.set("k", {"v": 1}, ttl=ttl)
        with pytest.raises(ValueError, match="positive"):
            await store.claim("c", ttl=ttl)
        with pytest.raises(ValueError, match="positive"):
            await store.hit("r", limit=1, window=ttl)

    async def test_state_and_claims_survive_a_restart(self, open_store: Opener) -> None:
        first = open_store()
        await first.set("conv:whatsapp:+62812", CONVERSATION)
        assert await first.claim("telegram:update:77", ttl=60)
        await first.aclose()
        second = open_store()
        assert await second.get("conv:whatsapp:+62812") == CONVERSATION
        assert not await second.claim("telegram:update:77", ttl=60)


class TestLock:
    async def test_mutual_exclusion_under_50_tasks(self, store: StateStore) -> None:
        counter, inside, most_inside = 0, 0, 0

        async def turn() -> None:
            nonlocal counter, inside, most_inside
            async with store.lock("conv:telegram:1"):
                inside += 1
                most_inside = max(most_inside, inside)
                seen = counter
                await asyncio.sleep(0.001)  # a lost update would show here
                counter = seen + 1
                inside -= 1

        await asyncio.gather(*(turn() for _ in range(50)))
        assert (counter, most_inside) == (50, 1)

    async def test_wait_timeout_raises_lock_timeout(self, store: StateStore) -> None:
        async with store.lock("k"):
            started = time.monotonic()
            with pytest.raises(LockTimeout):
                async with store.lock("k", wait=0.2):
                    pytest.fail("took a held lock")
            assert 0.15 <= time.monotonic() - started < 1.5

    async def test_released_when_the_body_raises(self, store: StateStore) -> None:
        with pytest.raises(RuntimeError):
            async with store.lock("k"):
                raise RuntimeError("boom")
        async with store.lock("k", wait=0.1):
            pass

    async def test_keys_are_independent(self, store: StateStore) -> None:
        async with store.lock("a"), store.lock("b", wait=0.1):
            pass

    async def test_expired_lock_of_a_dead_holder_can_be_taken(self, store: StateStore) -> None:
        dead = store.lock("k", expire=0.3)
        await dead.__aenter__()  # the holder "dies": it never exits
        started = time.monotonic()
        async with store.lock("k", wait=3):
            assert 0.15 <= time.monotonic() - started < 1.5

    async def test_release_by_a_non_holder_does_not_free_it(
        self, store: StateStore, caplog: pytest.LogCaptureFixture
    ) -> None:
        slow = store.lock("k", expire=0.3)
        await slow.__aenter__()
        async with store.lock("k", expire=10, wait=3):  # taken once slow's lease ran out
            with caplog.at_level(logging.WARNING):
                await slow.__aexit__(None, None, None)  # too late: must not free ours
            assert "expired before release" in caplog.text
            with pytest.raises(LockTimeout):
                async with store.lock("k", wait=0.2):
                    pytest.fail("a non-holder freed the lock")
        async with store.lock("k", wait=0.2):
            pass

    async def test_waiters_get_it_in_arrival_order(self, store: StateStore) -> None:
        order: list[int] = []

        async def waiter(index: int) -> None:
            await asyncio.sleep(0.03 * index)
            async with store.lock("k", wait=5):
                order.append(index)
                await asyncio.sleep(0.005)

        async with store.lock("k"):
            tasks = [asyncio.create_task(waiter(i)) for i in range(5)]
            await asyncio.sleep(0.25)
        await asyncio.gather(*tasks)
        assert order == [0, 1, 2, 3, 4]

    async def test_a_waiter_that_gives_up_does_not_hold_up_the_next(self, store: StateStore) -> None:
        async def take() -> float:
            async with store.lock("k", wait=5):
                return time.monotonic()

        async with store.lock("k"):
            quitter = asyncio.create_task(take())
            await asyncio.sleep(0.05)
            patient = asyncio.create_task(take())
            await asyncio.sleep(0.05)
            quitter.cancel()
            with pytest.raises(asyncio.CancelledError):
                await quitter
            released = time.monotonic()
        assert await patient - released < 0.5


class TestClaimsAndLimits:
    async def test_claim_is_true_once_then_false_until_it_expires(self, store: StateStore) -> None:
        assert await store.claim("twilio:SM1", ttl=0.3)
        assert not await store.claim("twilio:SM1", ttl=0.3)
        assert await store.claim("twilio:SM2", ttl=0.3)
        await asyncio.sleep(0.45)
        assert await store.claim("twilio:SM1", ttl=0.3)

    async def test_concurrent_claims_have_one_winner(self, store: StateStore) -> None:
        results = await asyncio.gather(*(store.claim("telegram:9", ttl=5) for _ in range(20)))
        assert results.count(True) == 1

    async def test_release_claim_allows_a_retry(self, store: StateStore) -> None:
        assert await store.claim("telegram:9", ttl=60)
        await store.release_claim("telegram:9")
        assert await store.claim("telegram:9", ttl=60)
        await store.release_claim("never-claimed")

    async def test_hit_allows_the_limit_then_refuses_until_the_window_ends(self, store: StateStore) -> None:
        hits = [await store.hit("tel:+62812", limit=3, window=0.4) for _ in range(5)]
        assert hits == [True, True, True, False, False]
        assert await store.hit("tel:+62813", limit=3, window=0.4)  # another sender
        await asyncio.sleep(0.5)
        assert await store.hit("tel:+62812", limit=3, window=0.4)


class TestLiveMessages:
    async def test_subscriber_gets_messages_in_order(self, store: StateStore) -> None:
        async with store.subscribe("web:abc") as messages:
            await store.publish("web:abc", {"text": "Laporan Anda sudah diterima ✅"})
            await store.publish("web:abc", {"text": "second"})
            assert await _next(messages) == {"text": "Laporan Anda sudah diterima ✅"}
            assert await _next(messages) == {"text": "second"}

    async def test_every_subscriber_of_a_channel_gets_it_and_no_other(self, store: StateStore) -> None:
        async with (
            store.subscribe("web:a") as first,
            store.subscribe("web:a") as second,
            store.subscribe("web:b") as other,
        ):
            await store.publish("web:a", {"n": 1})
            await store.publish("web:b", {"n": 2})
            assert await _next(first) == {"n": 1}
            assert await _next(second) == {"n": 1}
            assert await _next(other) == {"n": 2}  # web:a's message never reached it

    async def test_publish_without_subscribers_is_fine(self, store: StateStore) -> None:
        await store.publish("web:nobody", {"n": 1})
        async with store.subscribe("web:nobody") as messages:
            await store.publish("web:nobody", {"n": 2})
            assert await _next(messages) == {"n": 2}  # nothing replayed from before


async def test_ping(store: StateStore) -> None:
    assert await store.ping()
