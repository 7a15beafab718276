"""Fixtures for the Telegram connector: the fake Bot API and a connector pointed at it."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from connectors.telegram.connector import TelegramConnector, TelegramLimits
from tests.fakes.telegram_api import FakeTelegramApi

SECRET = "s3cret-Token_for-tests"
FIXTURES = Path(__file__).parents[1] / "fixtures" / "telegram"
# Fast pacing so that tests do not wait; the pacing tests configure their own.
FAST = TelegramLimits(per_chat_interval=0.0, global_rate=10_000.0, timeout=5.0)


def load_fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text("utf-8"))
    return data


@pytest.fixture(scope="session")
def telegram_api_server() -> Iterator[FakeTelegramApi]:
    with FakeTelegramApi() as api:
        yield api


@pytest.fixture
def telegram_api(telegram_api_server: FakeTelegramApi) -> FakeTelegramApi:
    """The fake Bot API, emptied for each test."""
    telegram_api_server.reset()
    return telegram_api_server


@pytest.fixture(scope="session")
def webhook_connector() -> Iterator[TelegramConnector]:
    """A connector for parsing only: it never calls the Bot API."""
    telegram = TelegramConnector("123:abc", SECRET, "http://127.0.0.1:9", limits=FAST)
    yield telegram
    asyncio.run(telegram.aclose())


@pytest.fixture
async def connector(telegram_api: FakeTelegramApi) -> AsyncIterator[TelegramConnector]:
    telegram = TelegramConnector(telegram_api.token, SECRET, telegram_api.url, limits=FAST)
    yield telegram
    await telegram.aclose()
