"""Fixtures for the officer side: a runtime on each database, the app, an HTTP client."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from bot.http.app import create_app
from bot.runtime.process import Runtime, build_runtime
from bot.runtime.settings import load_settings
from tests.support import Clock
from tests.support.officers import MONDAY, RecordingConnector


@pytest.fixture
def clock() -> Clock:
    return Clock(MONDAY)


@pytest.fixture
def fake() -> RecordingConnector:
    return RecordingConnector()


@pytest.fixture
async def runtime(
    database_url: str, tmp_path: Path, clock: Clock, fake: RecordingConnector
) -> AsyncIterator[Runtime]:
    settings = load_settings(
        database_url=database_url, state_path=tmp_path / "state.sqlite3", worker_in_process=False
    )
    built = await build_runtime(settings, clock=clock, extra_channels={"fake": fake}, migrate=False)
    yield built
    await built.close()


@pytest.fixture
def app(runtime: Runtime) -> FastAPI:
    return create_app(runtime=runtime)


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http
