"""A whole bot on a real database and state store, with a clock the test moves (a pytest plugin)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from bot.runtime.process import Runtime, build_runtime
from bot.runtime.settings import load_settings
from tests.support import REST_TOKEN, STATE_KINDS, Clock, state_settings_for
from tests.support.citizen import Citizen, RuntimeFactory


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(params=STATE_KINDS)
def state_settings(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, Any]:
    """Settings for the embedded store, then for Redis (own key prefix DB 15)."""
    return state_settings_for(request.param, request, tmp_path)


@pytest.fixture
async def make_runtime(
    database_url: str, tmp_path: Path, clock: Clock, state_settings: dict[str, Any]
) -> AsyncIterator[RuntimeFactory]:
    """Build runtimes on the test database; closes them all at the end."""
    made: list[Runtime] = []

    async def make(**overrides: Any) -> Runtime:
        options = {
            "state_path": tmp_path / "state.sqlite3",
            "rest_token": REST_TOKEN,
            **state_settings,
            **overrides,
        }
        settings = load_settings(database_url=database_url, **options)
        runtime = await build_runtime(settings, clock=clock, migrate=False)
        made.append(runtime)
        return runtime

    yield make
    for runtime in made:
        await runtime.close()


@pytest.fixture
async def runtime(make_runtime: RuntimeFactory) -> Runtime:
    return await make_runtime()


@pytest.fixture
def citizen(runtime: Runtime) -> Callable[[str], Citizen]:
    return lambda address: Citizen(runtime, address)
