"""Demo data on start-up: the demo officer and a few sample complaints.

Agencies and routing rules are seeded by the officer side on every first
start; this adds what only a demo has. It runs once per demo database: when
the demo officer exists, nothing is added.
"""

from __future__ import annotations

import logging

from sqlalchemy import select

from bot.http.demo.mode import require_demo
from bot.http.demo.samples import SAMPLES, file_sample
from bot.officers.accounts import add_officer
from bot.officers.actions import change_status
from bot.officers.auth import Principal, principal_of
from bot.runtime.process import Runtime
from storage.officers_models import Officer

log = logging.getLogger("lapor.demo")
DEMO_EMAIL = "petugas@demo.lapor.id"
# Shown on /demo: a demo database holds nothing but sample data.
DEMO_PASSWORD = "demo-lapor-kampus"  # noqa: S105
DEMO_NAME = "Petugas Demo"
NOTES = {"in_progress": "Petugas sudah dijadwalkan memperbaiki minggu ini."}


async def demo_officer(runtime: Runtime) -> Officer | None:
    async with runtime.sessions() as session:
        return await session.scalar(select(Officer).where(Officer.email == DEMO_EMAIL))


async def ensure_demo_data(runtime: Runtime) -> list[str]:
    """Add the demo officer and the samples unless already there; the tickets filed."""
    require_demo(runtime.settings)
    if await demo_officer(runtime) is not None:
        return []
    async with runtime.sessions() as session:
        officer, _ = await add_officer(
            session, DEMO_EMAIL, "admin", runtime.clock(), name=DEMO_NAME, password=DEMO_PASSWORD,
            identity_access=True,
        )  # fmt: skip
        await session.commit()
        who = principal_of(officer)
    return await file_samples(runtime, who)


async def file_samples(runtime: Runtime, who: Principal) -> list[str]:
    """File every sample and move it along as an officer would."""
    tickets: list[str] = []
    for sample in SAMPLES:
        ticket = await file_sample(runtime, sample)
        if ticket is None:
            continue
        for status in sample.statuses:
            await change_status(runtime, who, ticket, status, NOTES.get(status))
        tickets.append(ticket)
    log.info("demo data ready: %d sample complaints", len(tickets))
    return tickets
