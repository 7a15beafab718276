"""Start the demo over on a fresh database: only the seeded agencies, officer and samples.

The audit log is append-only for the life of a database (the database itself
refuses deletes), so a reset does not delete rows: it rebuilds the demo's own
SQLite schema through the migrations (down to nothing, up to the head) and
seeds it again. Refused outside demo mode and on anything but SQLite.
"""

from __future__ import annotations

from alembic import command
from sqlalchemy import Connection

from bot.http.demo.mode import DemoOnly, require_demo
from bot.http.demo.seed import ensure_demo_data
from bot.officers.seed import seed_if_empty
from bot.runtime.process import Runtime
from storage.migrate import alembic_config


def _rebuild(connection: Connection) -> None:
    command.downgrade(alembic_config(connection), "base")
    command.upgrade(alembic_config(connection), "head")


async def rebuild(runtime: Runtime) -> None:
    """Drop and recreate the demo database's schema, then seed the agencies."""
    require_demo(runtime.settings)
    if not runtime.settings.database_url.startswith("sqlite"):
        raise DemoOnly("the demo reset runs only on the demo's own SQLite database")
    await runtime.dispatcher.drain()
    async with runtime.db.begin() as connection:
        await connection.run_sync(_rebuild)
    await seed_if_empty(runtime.sessions, runtime.clock())


async def reset_demo(runtime: Runtime) -> list[str]:
    """A fresh demo database with the officer and samples; the new sample tickets."""
    await rebuild(runtime)
    return await ensure_demo_data(runtime)
