"""What the whole-bot tests share: a clock the test moves, and the state store each test runs on.

Tests where the state store matters (dedup, locks, conversation state) run on
both the embedded store and Redis; the rest on the embedded store only.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

# The REST channel's bearer token in tests (``lapor serve`` keeps the channel off without one).
REST_TOKEN = "rest-token-for-tests-" + "0123456789abcdef" * 2
REST_HEADERS = {"Authorization": f"Bearer {REST_TOKEN}"}
START = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)  # Monday 09:00 in Jakarta
STATE_KINDS = ["embedded", pytest.param("redis", marks=pytest.mark.redis)]
# Mark a test with this to run it on both state stores (``state_kind`` is indirect).
each_state_store = pytest.mark.parametrize("state_kind", STATE_KINDS, indirect=True)


@dataclass
class Clock:
    """The runtime's clock: the engine, the outbox and its retries read it; tests move it."""

    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def state_settings_for(kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, Any]:
    """Settings for the embedded state store, or for Redis (a key prefix of its own, DB 15)."""
    if kind == "embedded":
        return {"state_path": tmp_path / "state.sqlite3"}
    url: str = request.getfixturevalue("redis_url")
    return {"redis_url": url, "state_prefix": f"lapor-test:{uuid.uuid4().hex}:"}


@pytest.fixture
def state_kind(request: pytest.FixtureRequest) -> str:
    """The embedded store, unless a test runs on ``each_state_store``."""
    return str(getattr(request, "param", "embedded"))


@pytest.fixture
def state_settings(state_kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, Any]:
    """Settings for the state store the test runs on (see ``state_settings_for``)."""
    return state_settings_for(state_kind, request, tmp_path)
