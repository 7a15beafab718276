"""A whole bot on each database and each state store, its app, and an HTTP client."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.http.app import create_app
from bot.runtime.process import Runtime, build_runtime
from bot.runtime.settings import load_settings
from tests.support import REST_HEADERS, REST_TOKEN, STATE_KINDS, Clock, state_settings_for
from tests.support.officers import MONDAY


@pytest.fixture
def clock() -> Clock:
    return Clock(MONDAY)


@pytest.fixture(params=STATE_KINDS)
def state_settings(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, Any]:
    return state_settings_for(request.param, request, tmp_path)


@pytest.fixture
async def runtime(
    database_url: str, tmp_path: Path, clock: Clock, state_settings: dict[str, Any]
) -> AsyncIterator[Runtime]:
    options = {"state_path": tmp_path / "state.sqlite3", **state_settings}
    settings = load_settings(
        database_url=database_url, worker_in_process=False, rest_token=REST_TOKEN, **options
    )
    built = await build_runtime(settings, clock=clock, migrate=False)
    yield built
    await built.close()


@pytest.fixture
async def client(runtime: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(runtime=runtime))
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", headers=REST_HEADERS
    ) as http:
        yield http


@pytest.fixture
def app_logging() -> Iterator[None]:
    """Logging as ``lapor serve`` configures it, at DEBUG; restored afterwards."""
    from bot.core.logs import QUIET_LOGGERS, configure

    root = logging.getLogger()
    saved = (root.level, list(root.handlers), {n: logging.getLogger(n).level for n in QUIET_LOGGERS})
    configure("DEBUG")
    yield
    root.setLevel(saved[0])
    root.handlers[:] = saved[1]
    for name, level in saved[2].items():
        logging.getLogger(name).setLevel(level)
