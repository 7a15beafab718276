"""On an asynchronous channel the confirmation goes out through the outbox, which then forgets the address."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.rights.retention import run_retention
from bot.runtime.process import Runtime, build_runtime
from bot.runtime.settings import load_settings
from storage.models import OutboxMessage
from tests.support import Clock
from tests.support.officers import RecordingConnector, say

ADDRESS = "fake:budi-0812"


@pytest.fixture
async def fake_runtime(
    database_url: str, tmp_path: Path, clock: Clock, state_settings: dict[str, Any]
) -> AsyncIterator[tuple[Runtime, RecordingConnector]]:
    fake = RecordingConnector()
    options = {"state_path": tmp_path / "state.sqlite3", **state_settings}
    settings = load_settings(database_url=database_url, worker_in_process=False, **options)
    built = await build_runtime(settings, clock=clock, extra_channels={"fake": fake}, migrate=False)
    yield built, fake
    await built.close()


async def _rows_to(runtime: Runtime, address: str) -> int:
    async with runtime.sessions() as session:
        statement = select(func.count()).select_from(OutboxMessage).where(OutboxMessage.address == address)
        return int(await session.scalar(statement) or 0)


async def test_the_confirmation_is_sent_then_its_row_is_purged(
    fake_runtime: tuple[Runtime, RecordingConnector],
) -> None:
    runtime, fake = fake_runtime
    for text in ("halo", "setuju", "HAPUS DATA", "YA"):
        await say(runtime, ADDRESS, text)
    await runtime.dispatcher.drain()
    await runtime.dispatcher.run_once()

    assert fake.sent[-1].text == runtime.texts.render("erase_done", "id")
    assert await _rows_to(runtime, ADDRESS) == 1  # sent, and still holding the address

    await run_retention(runtime.sessions, runtime.state, runtime.clock(), 730)

    assert await _rows_to(runtime, ADDRESS) == 0
