"""A slow turn keeps its conversation lock: a second turn never interleaves with it."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from bot.intake.media import MediaIntake
from bot.runtime.process import Runtime
from connectors.messages import Inbound, Media
from storage.models import Message
from tests.support import each_state_store
from tests.support.citizen import RuntimeFactory

LEASE = 0.3  # seconds; the turn below is held for several leases


class SlowDownload:
    """A media download that takes as long as the test wants (a provider at 60 s a photo)."""

    def __init__(self) -> None:
        self.started = asyncio.Event()
        self.finish = asyncio.Event()

    async def __call__(self, media: Media) -> bytes:
        self.started.set()
        await self.finish.wait()
        return b"not an image"  # rejected after download: the turn goes on without it


def _inbound(runtime: Runtime, text: str, **extra: object) -> Inbound:
    return Inbound(address="rest:slow", text=text, received_at=runtime.clock(), **extra)  # type: ignore[arg-type]


@each_state_store
async def test_a_turn_held_past_its_lease_keeps_the_lock(make_runtime: RuntimeFactory) -> None:
    runtime = await make_runtime()
    download = SlowDownload()
    runtime.conversations.media = MediaIntake({"rest": download})
    runtime.conversations.lock_lease = LEASE
    runtime.conversations.lock_wait = 30.0
    await runtime.conversations.handle(_inbound(runtime, "halo"))
    await runtime.conversations.handle(_inbound(runtime, "setuju"))

    photo = Media(url="https://files.example/1.jpg", content_type="image/jpeg")
    slow = asyncio.create_task(
        runtime.conversations.handle(_inbound(runtime, "jalan rusak parah", media=(photo,)))
    )
    await download.started.wait()
    second = asyncio.create_task(runtime.conversations.handle(_inbound(runtime, "bantuan")))
    done, _ = await asyncio.wait({second}, timeout=LEASE * 5)
    assert not done, "the second turn ran while the first still held the conversation"

    download.finish.set()
    await slow
    await second
    async with runtime.sessions() as session:
        lines = (
            await session.scalars(select(Message.text).where(Message.direction == "in").order_by(Message.id))
        ).all()
    assert lines[-2:] == ["jalan rusak parah", "bantuan"], "turns committed one after the other"
