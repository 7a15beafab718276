"""Auto-close after 10 working days without an answer, and reminders about overdue complaints."""

from __future__ import annotations

from datetime import UTC, date, datetime

import httpx
from sqlalchemy import select

from bot.officers.autoclose import Housekeeping, auto_close, remind_overdue
from bot.runtime.process import Runtime
from storage.models import Complaint, OutboxMessage, StatusEvent
from storage.officers_models import OfficerNotification
from tests.support import Clock
from tests.support.officers import bearer, file_by_chat, insert_complaint, officer, say

RESOLVED = datetime(2026, 3, 12, 3, 0, tzinfo=UTC)  # Thursday; Nyepi and Lebaran holidays follow
# 10 working days after 12 March 2026 skip 18-24 March (Nyepi, Idul Fitri, cuti bersama).
DAY_BEFORE = datetime(2026, 4, 1, 16, 0, tzinfo=UTC)  # 1 April, 23:00 in Jakarta
DUE = datetime(2026, 4, 1, 17, 30, tzinfo=UTC)  # 2 April, 00:30 in Jakarta


async def _status(runtime: Runtime, ticket: str) -> str:
    async with runtime.sessions() as session:
        return str(await session.scalar(select(Complaint.status).where(Complaint.ticket == ticket)))


async def test_unanswered_resolved_complaints_close_after_10_working_days(runtime: Runtime) -> None:
    ticket = await insert_complaint(runtime, "PUPR", status="resolved", resolved_at=RESOLVED)
    answered = await insert_complaint(runtime, "PUPR", status="closed", resolved_at=RESOLVED)
    recent = await insert_complaint(
        runtime, "PUPR", status="resolved", resolved_at=datetime(2026, 3, 30, tzinfo=UTC)
    )

    assert await auto_close(runtime, DAY_BEFORE) == []
    closed = await auto_close(runtime, DUE)
    again = await auto_close(runtime, DUE)

    assert (closed, again) == ([ticket], [])
    assert [await _status(runtime, t) for t in (ticket, answered, recent)] == ["closed", "closed", "resolved"]
    async with runtime.sessions() as session:
        event = (await session.scalars(select(StatusEvent).order_by(StatusEvent.id.desc()).limit(1))).one()
        push = (await session.scalars(select(OutboxMessage))).one()
        complaint = (await session.scalars(select(Complaint).where(Complaint.ticket == ticket))).one()
    assert (event.actor, event.from_status, event.to_status, event.at) == (
        "system",
        "resolved",
        "closed",
        DUE,
    )
    assert complaint.closed_at == DUE
    assert push.payload["key"] == "push.auto_closed" and ticket in push.payload["text"]


async def test_after_auto_close_a_late_tidak_reopens_nothing(
    client: httpx.AsyncClient, runtime: Runtime, clock: Clock
) -> None:
    token = await officer(runtime, "o@sleman.go.id", agency="PEMKAB-SLEMAN")
    ticket = await file_by_chat(runtime, "rest:late")
    for status in ("verified", "in_progress", "resolved"):
        await client.post(
            f"/api/v1/complaints/{ticket}/status", json={"status": status}, headers=bearer(token)
        )
    clock.advance(days=15)

    assert await auto_close(runtime, clock()) == [ticket]
    await say(runtime, "rest:late", "tidak")

    assert await _status(runtime, ticket) == "closed"


async def test_overdue_complaints_remind_their_agency_once_per_deadline(
    client: httpx.AsyncClient, runtime: Runtime, clock: Clock
) -> None:
    token = await officer(runtime, "o@pupr.go.id", agency="PUPR")
    other = await officer(runtime, "o@kemenkes.go.id", agency="KEMENKES")
    late = await insert_complaint(
        runtime, "PUPR", verify_due=date(2026, 2, 27), followup_due=date(2026, 3, 10)
    )
    await insert_complaint(runtime, "PUPR", verify_due=date(2026, 3, 5))

    first = await remind_overdue(runtime.sessions, clock())
    second = await remind_overdue(runtime.sessions, clock())
    await client.post(f"/api/v1/complaints/{late}/status", json={"status": "verified"}, headers=bearer(token))
    clock.advance(days=10)
    third = await remind_overdue(runtime.sessions, clock())

    assert (first, second) == (1, 0)
    assert third == 2  # the verified one missed its follow-up; the other one its verification
    notes = (await client.get("/api/v1/notifications", headers=bearer(token))).json()
    mine = [n["text"] for n in notes if n["ticket"] == late]
    assert any("tenggat verifikasi" in text for text in mine)
    assert any("tenggat tindak lanjut pertama" in text for text in mine)
    assert (await client.get("/api/v1/notifications", headers=bearer(other))).json() == []


async def test_housekeeping_runs_once_per_interval(runtime: Runtime, clock: Clock) -> None:
    await insert_complaint(runtime, "PUPR", verify_due=date(2026, 2, 27))
    first, second = Housekeeping(runtime), Housekeeping(runtime)  # two worker processes

    await first()
    await second()
    await first()

    async with runtime.sessions() as session:
        notes = (await session.scalars(select(OfficerNotification))).all()
    assert len(notes) == 1


async def test_the_worker_loop_runs_housekeeping(runtime: Runtime) -> None:
    import asyncio
    import contextlib

    await insert_complaint(runtime, "PUPR", verify_due=date(2026, 2, 27))

    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(runtime.dispatcher.run_forever(poll_seconds=0.01), timeout=0.5)

    async with runtime.sessions() as session:
        assert len((await session.scalars(select(OfficerNotification))).all()) == 1


async def test_ended_sessions_and_old_idempotency_keys_are_purged(runtime: Runtime, clock: Clock) -> None:
    from datetime import timedelta

    from bot.officers.autoclose import purge_expired
    from storage.officers_models import IdempotencyKey, Officer, OfficerSession

    await officer(runtime, "o@pupr.go.id", agency="PUPR")
    async with runtime.sessions() as session:
        who = (await session.scalars(select(Officer))).one()
        past, now = clock() - timedelta(days=8), clock()
        for name, ended in (("old", past), ("live", now + timedelta(hours=1))):
            session.add(
                OfficerSession(id=name, officer_id=who.id, csrf_token="x", created_at=past, expires_at=ended)
            )
        for key, at in (("old", past), ("new", now)):
            answer = {"status_code": 200, "response": {}, "request_hash": "h"}
            session.add(IdempotencyKey(officer_id=who.id, key=key, created_at=at, **answer))
        await session.commit()

    await purge_expired(runtime.sessions, clock())

    async with runtime.sessions() as session:
        assert (await session.scalars(select(OfficerSession.id))).all() == ["live"]
        assert (await session.scalars(select(IdempotencyKey.key))).all() == ["new"]
