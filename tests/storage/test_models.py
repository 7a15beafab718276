"""The records survive a round trip through each database unchanged."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import selectinload

from storage.models import Complaint, Reporter, StatusEvent
from storage.tickets import new_ticket
from tests.storage.conftest import NOW

WIB = timezone(timedelta(hours=7))
DESCRIPTION = (
    "Jalan berlubang di depan SDN 3 🚧, sudah 2 minggu; warga “resah”. "
    "שלום \u202e مرحبا 你好 <script>alert(1)</script> e\u0301"
)
RAW = DESCRIPTION.encode() + b"\x00\xff\xfe invalid utf-8 kept as evidence"


def _reporter(address: str = "telegram:12345") -> Reporter:
    return Reporter(address=address, channel="telegram", display_name="Siti Ñúñez", created_at=NOW)


def _complaint(reporter: Reporter, *, ticket: str, conversation_id: str) -> Complaint:
    return Complaint(
        ticket=ticket,
        conversation_id=conversation_id,
        reporter=reporter,
        kind="complaint",
        category="infrastructure",
        title="Jalan berlubang",
        description=DESCRIPTION,
        description_raw=RAW,
        source_channel="telegram",
        source_message_ids=["1001", "1002"],
        incident_date=date(2026, 2, 28),
        latitude=-6.914744,
        longitude=107.60981,
        created_at=datetime(2026, 3, 2, 8, 30, tzinfo=WIB),
        updated_at=NOW,
    )


async def test_complaint_round_trip(sessions: async_sessionmaker[AsyncSession]) -> None:
    ticket = new_ticket()
    async with sessions.begin() as session:
        complaint = _complaint(_reporter(), ticket=ticket, conversation_id="c1")
        session.add(complaint)
        session.add(StatusEvent(complaint=complaint, at=NOW, actor="system", to_status="received"))

    async with sessions() as session:
        loaded = await session.scalar(
            select(Complaint)
            .where(Complaint.ticket == ticket)
            .options(selectinload(Complaint.reporter), selectinload(Complaint.events))
        )
    assert loaded is not None
    assert loaded.description == DESCRIPTION
    assert loaded.description_raw == RAW
    assert loaded.reporter.display_name == "Siti Ñúñez"
    assert loaded.source_message_ids == ["1001", "1002"]
    assert loaded.incident_date == date(2026, 2, 28)
    assert (loaded.latitude, loaded.longitude) == (-6.914744, 107.60981)
    # Defaults from the model, not from the caller.
    assert (loaded.status, loaded.confidential, loaded.anonymous) == ("received", False, False)
    # Aware in, aware UTC out: 08:30 WIB is 01:30 UTC.
    assert loaded.created_at == datetime(2026, 3, 2, 1, 30, tzinfo=UTC)
    assert loaded.created_at.utcoffset() == timedelta(0)
    assert [e.to_status for e in loaded.events] == ["received"]
    assert loaded.events[0].at.tzinfo is not None


async def test_naive_datetime_is_refused(sessions: async_sessionmaker[AsyncSession]) -> None:
    with pytest.raises(StatementError, match="naive datetime"):
        async with sessions.begin() as session:
            session.add(Reporter(address="tel:+628123", channel="sms", created_at=datetime(2026, 3, 2)))


@pytest.mark.parametrize("shared", ["ticket", "conversation_id"])
async def test_unique_ticket_and_conversation(
    sessions: async_sessionmaker[AsyncSession], shared: str
) -> None:
    first = {"ticket": new_ticket(), "conversation_id": "conv-a"}
    second = {"ticket": new_ticket(), "conversation_id": "conv-b", shared: first[shared]}
    async with sessions.begin() as session:
        session.add(_complaint(_reporter(), **first))
    with pytest.raises(IntegrityError):
        async with sessions.begin() as session:
            existing = await session.scalar(select(Reporter))
            assert existing is not None
            session.add(_complaint(existing, **second))


async def test_unique_reporter_address(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions.begin() as session:
        session.add(_reporter())
    with pytest.raises(IntegrityError):
        async with sessions.begin() as session:
            session.add(_reporter())
