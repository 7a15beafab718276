"""Fault tests: a whole bot on real PostgreSQL, with outside services the test breaks."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.http.app import create_app
from bot.runtime.process import Runtime
from tests.conftest import _truncate
from tests.faults.servers import OwnRedis
from tests.support import REST_HEADERS, state_kind, state_settings
from tests.support.citizen import Citizen, RuntimeFactory

__all__ = ["Citizen", "RuntimeFactory", "state_kind", "state_settings"]


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[OwnRedis]:
    """A Redis this test starts, kills by PID and restarts (empty)."""
    server = OwnRedis(tmp_path)
    server.start()
    yield server
    server.kill()


@pytest.fixture
def database_url(postgres_url: str) -> str:
    """Fault tests run on PostgreSQL only: the deployment whose faults they are."""
    asyncio.run(_truncate(postgres_url))
    return postgres_url


@pytest.fixture
def on_own_redis(own_redis: OwnRedis) -> dict[str, Any]:
    """Runtime settings for the test's own Redis."""
    return {"redis_url": own_redis.url, "state_prefix": f"faults:{uuid.uuid4().hex}:"}


ClientFactory = Callable[[Runtime], httpx.AsyncClient]


@pytest.fixture
def http_client() -> ClientFactory:
    """An HTTP client on the app; a raised error becomes the 500 a real server would send."""

    def make(runtime: Runtime) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=create_app(runtime=runtime), raise_app_exceptions=False)
        return httpx.AsyncClient(
            transport=transport, base_url="http://testserver", timeout=60, headers=REST_HEADERS
        )

    return make
