"""Fixtures every test area shares: network off, databases, Redis, time."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.db import create_engine
from storage.migrate import upgrade
from storage.models import Base
from tests.support import network
from tests.support.fakes.kannel_gateway import missing_binaries
from tests.support.services import require, unavailable

network.switch_off()
pytest_plugins = ("tests.support.runtime_fixtures",)
# Never let a developer's .env or shell settings leak into a test.
for _name in list(os.environ):
    if _name.startswith("LAPOR_") and not _name.startswith("LAPOR_TEST_"):
        del os.environ[_name]
os.environ["LAPOR_ENV_FILE"] = ""  # nor a .env file in the working folder

DATABASES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


async def _migrated(url: str) -> None:
    engine = create_engine(url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test (migrating once is faster)."""
    path = tmp_path_factory.mktemp("db") / "template.sqlite3"
    asyncio.run(_migrated(f"sqlite:///{path}"))
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, migrated, dropped after."""
    admin_url = require("LAPOR_TEST_DATABASE_URL", "PostgreSQL")
    name = f"lapor_test_{uuid.uuid4().hex[:10]}"
    asyncio.run(_admin(admin_url, f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    asyncio.run(_migrated(url))
    yield url
    asyncio.run(_admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _admin(url: str, statement: str) -> None:
    engine = create_engine(url).execution_options(isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(statement))
    finally:
        await engine.dispose()


@pytest.fixture(params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> Iterator[str]:
    """A migrated, empty database: a SQLite file, then PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "lapor.sqlite3"
        shutil.copy(sqlite_template, path)
        yield f"sqlite:///{path}"
        return
    url: str = request.getfixturevalue("postgres_url")
    asyncio.run(_truncate(url))
    yield url


async def _truncate(url: str) -> None:
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    await _admin(url, f"TRUNCATE {tables} RESTART IDENTITY CASCADE")


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    db = create_engine(database_url)
    yield db
    await db.dispose()


@pytest.fixture
def redis_url() -> str:
    """Redis for state tests; skips locally (fails in CI) when absent."""
    return require("LAPOR_TEST_REDIS_URL", "Redis")


@pytest.fixture(scope="module")
def kannel_binaries() -> None:
    """Debian's Kannel (bearerbox, smsbox, fakesmsc); skips locally, fails in CI."""
    missing = missing_binaries()
    if missing:
        unavailable(f"Kannel not installed ({', '.join(missing)}): apt-get install kannel kannel-extras")
