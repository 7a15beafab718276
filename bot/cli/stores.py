"""The database and state store of the configured deployment, for one command-line run."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import suppress
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.runtime.settings import Settings
from storage.db import create_engine, session_factory
from storage.migrate import upgrade
from storage.state import StateStore, open_state_store

T = TypeVar("T")
Work = Callable[[async_sessionmaker[AsyncSession], StateStore], Awaitable[T]]


async def with_stores(settings: Settings, work: Work[T]) -> T:
    """Run ``work`` on the migrated database and the state store, closing both after."""
    if settings.database_url.startswith("sqlite:///"):
        from pathlib import Path

        Path(settings.database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(settings.database_url)
    state = open_state_store(settings.redis_url, settings.state_path, settings.state_prefix)
    try:
        await upgrade(engine)
        return await work(session_factory(engine), state)
    finally:
        with suppress(Exception):
            await state.aclose()
        await engine.dispose()
