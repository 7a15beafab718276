"""A whole bot wired to the fake Telegram Bot API, on a real database and state store.

The bot is built from settings (``LAPOR_TELEGRAM_*``) exactly as in production;
only time is controlled: the runtime's clock (what the outbox and the engine
read) is a ``Clock`` the test moves, and the connector's pacer runs on
``VirtualTime``, so that the one-second-per-chat pacing and the 429 waits are
honoured and measurable without the tests sleeping for real.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

import tests.support as support
from bot.http.app import create_app
from bot.runtime.process import Runtime, build_runtime
from bot.runtime.settings import load_settings
from connectors.pacing import SendPacer
from connectors.telegram.connector import TelegramConnector
from tests.support import Clock, each_state_store  # noqa: F401  # each_state_store: for the tests
from tests.support.fakes.telegram_api import FakeTelegramApi

SECRET = "s3cret"
PUBLIC_URL = "http://testserver"
WEBHOOK_URL = f"{PUBLIC_URL}/webhooks/telegram"


@dataclass
class VirtualTime:
    """Monotonic time for the send pacer: a sleep moves it instead of waiting."""

    now: float = 1000.0
    sleeps: list[float] = field(default_factory=list)

    def clock(self) -> float:
        return self.now

    async def sleep(self, delay: float) -> None:
        self.sleeps.append(delay)
        self.now += delay
        await asyncio.sleep(0)


@dataclass
class TelegramBot:
    """The bot under test, its webhook client, and the fake Telegram it talks to."""

    runtime: Runtime
    client: httpx.AsyncClient
    api: FakeTelegramApi
    clock: Clock
    pacing: VirtualTime

    @property
    def connector(self) -> TelegramConnector:
        connector = self.runtime.channels.by_path["telegram"]
        assert isinstance(connector, TelegramConnector)
        return connector

    async def deliver(self, update: dict[str, Any], *, secret: str | None = None) -> httpx.Response:
        """Telegram posts ``update`` to the webhook; wait for the replies it caused."""
        response = await self.api.deliver_to_webhook(update, client=self.client, secret=secret)
        await self.runtime.dispatcher.drain()
        return response

    async def retry_due(self, *, rounds: int = 20, step: timedelta = timedelta(minutes=10)) -> None:
        """Let the worker retry: move the clock past every backoff, until nothing is due."""
        for _ in range(rounds):
            self.clock.now += step
            if not await self.runtime.dispatcher.run_once():
                return
        raise AssertionError(f"the outbox still had due rows after {rounds} rounds")


@pytest.fixture(scope="session")
def telegram_server() -> Iterator[FakeTelegramApi]:
    with FakeTelegramApi() as api:
        yield api


@pytest.fixture
def api(telegram_server: FakeTelegramApi) -> FakeTelegramApi:
    """The fake Bot API, emptied for each test."""
    telegram_server.reset()
    return telegram_server


@pytest.fixture
def clock() -> Clock:
    return Clock()


state_kind = support.state_kind  # fixtures: the state store each test runs on
state_settings = support.state_settings
# Tests whose outcome no database can change run on SQLite only, to stay fast.
sqlite_only = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.fixture
async def bot(
    database_url: str,
    tmp_path: Path,
    clock: Clock,
    api: FakeTelegramApi,
    state_settings: dict[str, Any],
) -> AsyncIterator[TelegramBot]:
    """The bot with its webhook registered at the fake, as ``lapor telegram set-webhook`` does."""
    settings = load_settings(
        database_url=database_url,
        **{"state_path": tmp_path / "state.sqlite3", **state_settings},
        telegram_token=api.token,
        telegram_secret=SECRET,
        telegram_api_url=api.url,
        public_url=PUBLIC_URL,
    )
    runtime = await build_runtime(settings, clock=clock, migrate=False)
    pacing = VirtualTime()
    connector = runtime.channels.by_path["telegram"]
    assert isinstance(connector, TelegramConnector)
    # The real pacer, on virtual time (the connector has no public knob for it).
    connector._pacer = SendPacer(1.0, 30.0, clock=pacing.clock, sleep=pacing.sleep)
    await connector.set_webhook(WEBHOOK_URL)
    transport = httpx.ASGITransport(app=create_app(runtime=runtime))
    try:
        async with httpx.AsyncClient(transport=transport, base_url=PUBLIC_URL) as client:
            yield TelegramBot(runtime, client, api, clock, pacing)
    finally:
        await runtime.close()
