"""Start the demo over: every complaint, reporter and message goes, the samples return.

Agencies, routing rules and officer accounts (with their sessions, so the
dashboard stays logged in) are kept. Refused outside demo mode.
"""

from __future__ import annotations

from sqlalchemy import delete, update

from bot.demo.mode import DemoOnly, require_demo
from bot.demo.seed import demo_officer, ensure_demo_data, file_samples
from bot.officers.auth import principal_of
from bot.runtime import Runtime
from storage.models import Base, Complaint

KEPT = frozenset({"agencies", "routing_rules", "officers", "api_tokens", "officer_sessions"})


async def wipe(runtime: Runtime) -> None:
    """Delete the rows of every table but ``KEPT``, children first."""
    require_demo(runtime.settings)
    if not runtime.settings.database_url.startswith("sqlite"):
        # PostgreSQL keeps the audit log append-only, as it should: no demo there.
        raise DemoOnly("the demo reset runs only on the demo's own SQLite database")
    await runtime.dispatcher.drain()
    async with runtime.sessions() as session:
        await session.execute(update(Complaint).values(merged_into_id=None))
        for table in reversed(Base.metadata.sorted_tables):
            if table.name not in KEPT:
                await session.execute(delete(table))
        await session.commit()


async def reset_demo(runtime: Runtime) -> list[str]:
    """Wipe the demo data and file the samples again; the new sample tickets."""
    require_demo(runtime.settings)
    await wipe(runtime)
    officer = await demo_officer(runtime)
    if officer is None:
        return await ensure_demo_data(runtime)
    return await file_samples(runtime, principal_of(officer))
