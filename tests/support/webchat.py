"""Fixtures for the web chat and demo tests: runtimes on a copied SQLite file, an HTTP client."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.http.app import create_app
from bot.runtime.process import Runtime, build_runtime
from bot.runtime.settings import load_settings

ORIGIN = "http://testserver"
RuntimeFactory = Callable[..., Awaitable[Runtime]]


@pytest.fixture
async def make_runtime(tmp_path: Path, sqlite_template: Path) -> AsyncIterator[RuntimeFactory]:
    """Build runtimes (each on its own database copy); all closed at the end."""
    made: list[Runtime] = []

    async def make(**overrides: Any) -> Runtime:
        database = tmp_path / f"lapor-{len(made)}.sqlite3"
        shutil.copy(sqlite_template, database)
        options: dict[str, Any] = {
            "database_url": f"sqlite:///{database}",
            "state_path": tmp_path / f"state-{len(made)}.sqlite3",
            "worker_in_process": False,
            **overrides,
        }
        runtime = await build_runtime(load_settings(**options), migrate=False)
        made.append(runtime)
        return runtime

    yield make
    for runtime in made:
        await runtime.close()


def client(runtime: Runtime) -> httpx.AsyncClient:
    """An HTTP client on the app for ``runtime`` (no lifespan: nothing is seeded)."""
    transport = httpx.ASGITransport(app=create_app(runtime=runtime))
    return httpx.AsyncClient(transport=transport, base_url=ORIGIN)


def json_headers(origin: str = ORIGIN) -> dict[str, str]:
    return {"Origin": origin, "Content-Type": "application/json"}
