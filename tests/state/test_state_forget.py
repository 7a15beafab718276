"""``forget``: everything named by a key goes (state, claim, rate counter), on every backend."""

from __future__ import annotations

from pathlib import Path

from storage.state import StateStore
from storage.state_embedded import EmbeddedStateStore

KEY = "conv:tel:+6281234567890"


async def test_forget_removes_state_claim_and_counter(store: StateStore) -> None:
    await store.set(KEY, {"address": "tel:+6281234567890"})
    assert await store.claim(KEY, 60)
    assert await store.hit(KEY, 1, 60)
    assert not await store.hit(KEY, 1, 60)  # over the limit

    await store.forget(KEY)

    assert await store.get(KEY) is None
    assert await store.claim(KEY, 60)  # the claim is gone: claimable again
    assert await store.hit(KEY, 1, 60)  # the counter is gone: a fresh window
    await store.forget("never-stored")  # absent keys are fine


async def test_embedded_store_leaves_no_bytes_of_a_forgotten_value(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    first = EmbeddedStateStore(path)
    for n in range(20):  # neighbours on the same page, so it is not simply emptied
        await first.set(f"conv:other-{n}", {"slots": "x" * 100})
    await first.set(KEY, {"name": "Budi Santoso", "phone": "081234567890"})
    await first.aclose()  # closing checkpoints: the value is in the main file now
    store = EmbeddedStateStore(path)
    try:
        await store.forget(KEY)
        # Read while the store is open: neither the freed cell nor the WAL keeps the value.
        raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("state.sqlite3"))
    finally:
        await store.aclose()
    assert b"Budi Santoso" not in raw and b"081234567890" not in raw
