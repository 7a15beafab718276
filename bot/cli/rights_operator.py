"""The operator's requests from the command line: export, erase, retention (each recorded)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.cli.stores import with_stores
from bot.rights import requests
from bot.rights.erase import ErasureReport, erase_address
from bot.rights.export import export
from bot.rights.holdings import reporter_at
from bot.rights.retention import RetentionReport, run_retention
from bot.runtime.settings import Settings
from storage.state import StateStore


def _now() -> datetime:
    return datetime.now(UTC)


async def export_address(settings: Settings, address: str) -> dict[str, Any] | None:
    async def work(sessions: async_sessionmaker[AsyncSession], state: StateStore) -> dict[str, Any] | None:
        draft = await state.get(f"conv:{address}")
        async with sessions() as session:
            reporter = await reporter_at(session, address)
            if reporter is None:
                return None
            # Recorded first, so the copy shows its own request too.
            requests.record(
                session,
                reporter_id=reporter.id,
                kind="export",
                actor=requests.operator(),
                outcome="done",
                now=_now(),
            )
            await session.flush()
            data = await export(session, address, draft)
            await session.commit()
            return data

    return await with_stores(settings, work)


async def erase_address_now(settings: Settings, address: str, *, dry_run: bool) -> ErasureReport | None:
    async def work(sessions: async_sessionmaker[AsyncSession], state: StateStore) -> ErasureReport | None:
        return await erase_address(
            sessions, state, address, actor=requests.operator(), now=_now(), dry_run=dry_run
        )

    return await with_stores(settings, work)


async def retention_now(settings: Settings, *, dry_run: bool) -> RetentionReport:
    async def work(sessions: async_sessionmaker[AsyncSession], state: StateStore) -> RetentionReport:
        return await run_retention(sessions, state, _now(), settings.retention_days, dry_run=dry_run)

    return await with_stores(settings, work)
