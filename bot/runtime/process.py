"""Everything one process needs, built from settings and closed in order."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.core.pseudonyms import pseudonym_key, use_key
from bot.delivery.channels import Channels
from bot.delivery.dispatcher import Dispatcher
from bot.delivery.local_channel import LOCAL_SCHEMES, LocalConnector
from bot.intake.conversations import Conversations
from bot.intake.media import Fetcher, MediaIntake
from bot.intake.opt_out import OptOutDesk
from bot.officers.setup import on_start as officers_on_start
from bot.runtime.channel_registry import build_channels
from bot.runtime.forwarding import install as install_forwarding
from bot.runtime.retention import schedule_retention
from bot.runtime.settings import Settings
from connectors.base import Connector
from dialogues.schema import load_dialogue
from dialogues.texts import Texts, load_texts
from nlu.types import Parser
from storage.db import create_engine, session_factory
from storage.migrate import upgrade
from storage.state import StateStore, open_state_store

log = logging.getLogger("lapor.runtime")


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(slots=True)
class Runtime:
    settings: Settings
    db: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    state: StateStore
    parser: Parser
    texts: Texts
    channels: Channels
    conversations: Conversations
    dispatcher: Dispatcher
    clock: Callable[[], datetime]
    _worker: asyncio.Task[None] | None = field(default=None)

    def start_worker(self) -> None:
        self._worker = asyncio.create_task(self.dispatcher.run_forever(self.settings.worker_poll_seconds))

    async def healthy(self) -> dict[str, str]:
        checks = {"database": "ok", "state": "ok"}
        try:
            async with self.db.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception as exc:
            checks["database"] = f"error: {type(exc).__name__}"
        try:
            if not await self.state.ping():
                checks["state"] = "error: no answer"
        except Exception as exc:
            checks["state"] = f"error: {type(exc).__name__}"
        return checks

    async def close(self) -> None:
        if self._worker:
            self._worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._worker
        await self.dispatcher.drain()
        for connector in self.channels.unique():
            await connector.aclose()
        await self.state.aclose()
        await self.db.dispose()


def default_parser(settings: Settings) -> Parser:
    import nlu

    loader = getattr(nlu, "load_parser", None)
    if loader is None:
        from nlu.keywords import KeywordParser

        return KeywordParser()
    parser: Parser = loader(settings.nlu_model_path, settings.nlu_url, settings.nlu_token)
    return parser


async def build_runtime(
    settings: Settings,
    *,
    parser: Parser | None = None,
    clock: Callable[[], datetime] = utc_now,
    extra_channels: Mapping[str, Connector] | None = None,
    migrate: bool = True,
) -> Runtime:
    """Open the database (migrating it), the state store and every channel."""
    settings.state_path.parent.mkdir(parents=True, exist_ok=True)
    if settings.database_url.startswith("sqlite:///"):
        from pathlib import Path

        Path(settings.database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    db = create_engine(settings.database_url)
    if migrate:
        await upgrade(db)
    sessions = session_factory(db)
    key = pseudonym_key(settings.pseudonym_key, settings.secret_key)
    use_key(key)
    state = open_state_store(settings.redis_url, settings.state_path, settings.state_prefix, digest_key=key)
    channels = build_channels(settings, settings.public_url, LocalConnector(state))
    for path, connector in (extra_channels or {}).items():
        channels.add(connector, path)
    fetchers: dict[str, Fetcher] = {
        scheme: c.fetch_media for scheme, c in channels.by_scheme.items() if hasattr(c, "fetch_media")
    }
    texts = load_texts()
    chosen = parser or default_parser(settings)
    conversations = Conversations(
        sessions=sessions,
        state=state,
        parser=chosen,
        dialogue=load_dialogue(),
        texts=texts,
        media=MediaIntake(fetchers),
        synchronous=frozenset(LOCAL_SCHEMES),
        clock=clock,
        rate_limit_per_minute=settings.rate_limit_per_minute,
        status_checks_per_hour=settings.status_checks_per_hour,
        opt_out=OptOutDesk(sessions=sessions, texts=texts, clock=clock, keywords=channels.opt_out_keywords),
    )
    dispatcher = Dispatcher(sessions, channels.by_scheme, clock, texts=texts)
    runtime = Runtime(
        settings, db, sessions, state, chosen, texts, channels, conversations, dispatcher, clock
    )
    await officers_on_start(runtime)
    schedule_retention(runtime)
    install_forwarding(runtime)
    return runtime
