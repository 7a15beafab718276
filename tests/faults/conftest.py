"""Fault tests: a whole bot on real PostgreSQL, with outside services the test breaks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.bot.conftest import Citizen, RuntimeFactory, clock, make_runtime, runtime
from tests.faults.servers import OwnRedis
from tests.support import state_kind, state_settings

__all__ = ["Citizen", "RuntimeFactory", "clock", "make_runtime", "runtime", "state_kind", "state_settings"]


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[OwnRedis]:
    """A Redis this test starts, kills by PID and restarts (empty)."""
    server = OwnRedis(tmp_path)
    server.start()
    yield server
    server.kill()
