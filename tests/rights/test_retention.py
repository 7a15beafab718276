"""Retention: complaints closed longer than LAPOR_RETENTION_DAYS are anonymised; a dry run says which."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from bot.officers.autoclose import Housekeeping
from bot.rights.retention import run_retention
from bot.runtime.process import Runtime
from storage.models import Complaint, Reporter
from tests.support.officers import insert_complaint

OLD_TEXT = "Jalan berlubang, hubungi saya 081298765432"


async def _closed(runtime: Runtime, address: str, days_ago: int, *, hold: bool = False) -> str:
    ticket = await insert_complaint(runtime, "PUPR", status="closed", description=OLD_TEXT, address=address)
    closed_at = runtime.clock() - timedelta(days=days_ago)
    async with runtime.sessions() as session:
        await session.execute(
            update(Complaint).where(Complaint.ticket == ticket).values(closed_at=closed_at, legal_hold=hold)
        )
        await session.execute(
            update(Reporter).where(Reporter.address == address).values(last_inbound_at=closed_at)
        )
        await session.commit()
    return ticket


async def _complaint(runtime: Runtime, ticket: str) -> Complaint:
    async with runtime.sessions() as session:
        found = await session.scalar(select(Complaint).where(Complaint.ticket == ticket))
    assert found is not None
    return found


async def _addresses(runtime: Runtime) -> set[str]:
    async with runtime.sessions() as session:
        return set((await session.scalars(select(Reporter.address))).all())


async def test_dry_run_says_what_a_run_then_does(runtime: Runtime) -> None:
    old = await _closed(runtime, "rest:old", days_ago=800)
    recent = await _closed(runtime, "rest:recent", days_ago=10)
    held = await _closed(runtime, "rest:held", days_ago=800, hold=True)
    await runtime.state.set("conv:rest:old", {"address": "rest:old"})

    planned = await run_retention(runtime.sessions, runtime.state, runtime.clock(), 730, dry_run=True)

    assert planned.complaints_anonymised == [old] and planned.held_skipped == 1
    assert (await _complaint(runtime, old)).anonymised_at is None  # nothing changed
    assert "rest:old" in await _addresses(runtime)

    done = await run_retention(runtime.sessions, runtime.state, runtime.clock(), 730)

    assert done.complaints_anonymised == [old] and done.reporters_erased == 1
    purged = await _complaint(runtime, old)
    assert purged.anonymised_at is not None and "081298765432" not in purged.description
    assert purged.status == "closed" and purged.category == "infrastructure"
    assert "rest:old" not in await _addresses(runtime)
    assert await runtime.state.get("conv:rest:old") is None
    assert (await _complaint(runtime, recent)).anonymised_at is None
    assert (await _complaint(runtime, held)).anonymised_at is None
    again = await run_retention(runtime.sessions, runtime.state, runtime.clock(), 730)
    assert again.complaints_anonymised == []  # idempotent


async def test_a_reporter_with_a_live_complaint_keeps_their_identity(runtime: Runtime) -> None:
    old = await _closed(runtime, "rest:both", days_ago=800)
    await insert_complaint(runtime, "PUPR", status="in_progress", address="rest:both-other")
    async with runtime.sessions() as session:
        reporter = await session.scalar(select(Reporter).where(Reporter.address == "rest:both"))
        assert reporter is not None
        await session.execute(
            update(Complaint).where(Complaint.reporter_id != reporter.id).values(reporter_id=reporter.id)
        )
        await session.commit()

    done = await run_retention(runtime.sessions, runtime.state, runtime.clock(), 730)

    assert done.complaints_anonymised == [old] and done.reporters_erased == 0
    assert "rest:both" in await _addresses(runtime)


async def test_the_worker_runs_the_purge_in_its_housekeeping_pass(runtime: Runtime) -> None:
    old = await _closed(runtime, "rest:old", days_ago=800)
    housekeeping = runtime.dispatcher.housekeeping
    assert isinstance(housekeeping, Housekeeping)

    await housekeeping()

    assert (await _complaint(runtime, old)).anonymised_at is not None


async def test_retention_days_come_from_settings(runtime: Runtime) -> None:
    assert runtime.settings.retention_days == 730


async def test_a_silent_reporter_who_never_filed_is_erased(runtime: Runtime, clock: object) -> None:
    from tests.support.officers import say

    await say(runtime, "rest:lurker", "halo")
    await say(runtime, "rest:lurker", "setuju")
    await say(runtime, "rest:lurker", "jalan di gang melati rusak")  # a draft never sent
    later = runtime.clock() + timedelta(days=731)

    planned = await run_retention(runtime.sessions, runtime.state, later, 730, dry_run=True)
    assert planned.reporters_erased == 1 and "rest:lurker" in await _addresses(runtime)
    done = await run_retention(runtime.sessions, runtime.state, later, 730)

    assert done.reporters_erased == 1 and "rest:lurker" not in await _addresses(runtime)
    assert await runtime.state.get("conv:rest:lurker") is None
