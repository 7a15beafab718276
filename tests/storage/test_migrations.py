"""Migrations build the schema from nothing, and the models match them exactly."""

from __future__ import annotations

from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.db import create_engine
from storage.migrate import alembic_config, current_revision, upgrade
from storage.models import Base

HEAD = ScriptDirectory.from_config(alembic_config()).get_current_head()
MODEL_TABLES = set(Base.metadata.tables)


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names()) - {"alembic_version"}


def _differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(
        connection,
        opts={
            "compare_type": True,
            "render_as_batch": connection.dialect.name == "sqlite",
        },
    )
    return list(compare_metadata(context, Base.metadata))


def _downgrade_to_base(connection: Connection) -> None:
    command.downgrade(alembic_config(connection), "base")


async def test_upgrade_from_empty_to_head(empty_database_url: str) -> None:
    engine = create_engine(empty_database_url)
    try:
        async with engine.connect() as conn:
            assert await conn.run_sync(_tables) == set()
        assert await current_revision(engine) is None

        await upgrade(engine)

        assert HEAD is not None
        assert await current_revision(engine) == HEAD
        async with engine.connect() as conn:
            assert await conn.run_sync(_tables) == MODEL_TABLES
    finally:
        await engine.dispose()


async def test_upgrade_is_idempotent(engine: AsyncEngine) -> None:
    await upgrade(engine)
    assert await current_revision(engine) == HEAD


async def test_models_match_migrations(engine: AsyncEngine) -> None:
    """`alembic check`: autogenerate on a migrated database finds nothing to do."""
    async with engine.connect() as conn:
        assert await conn.run_sync(_differences) == []


async def test_downgrade_to_base_and_back(empty_database_url: str) -> None:
    engine = create_engine(empty_database_url)
    try:
        await upgrade(engine)
        async with engine.begin() as conn:
            await conn.run_sync(_downgrade_to_base)
        async with engine.connect() as conn:
            assert await conn.run_sync(_tables) == set()
        await upgrade(engine)
        async with engine.connect() as conn:
            assert await conn.run_sync(_differences) == []
    finally:
        await engine.dispose()


async def test_check_sees_drift(engine: AsyncEngine) -> None:
    """The comparison above is not vacuous: a schema that drifted is reported."""
    async with engine.begin() as conn:
        await conn.exec_driver_sql("DROP INDEX ix_outbox_due")
        differences = await conn.run_sync(_differences)
        await conn.exec_driver_sql("CREATE INDEX ix_outbox_due ON outbox (status, next_attempt_at)")
    assert [d[0] for d in differences] == ["add_index"]
    assert differences[0][1].name == "ix_outbox_due"
