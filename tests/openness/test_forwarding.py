"""Forwarding to SP4N-LAPOR!'s stream intake and to an Open311 server, against fakes on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from bot.officers.actions import change_status
from bot.officers.auth import SYSTEM
from bot.runtime.forwarding import ForwardConnector, pull_once
from bot.runtime.process import Runtime, build_runtime
from bot.runtime.settings import load_settings
from storage import outbox
from storage.models import Complaint, OutboxMessage, Reporter, StatusEvent
from storage.openness_models import UpstreamLink
from tests.support import Clock
from tests.support.fakes.upstream import UpstreamFake
from tests.support.officers import RecordingConnector, file_by_chat, insert_complaint

NAME = "Dewi Lestari Anggraini"
PHONE = "+6281311112222"
TOKEN = "upstream-secret-token"


@pytest.fixture
def upstream() -> Iterator[UpstreamFake]:
    with UpstreamFake() as fake:
        yield fake


@pytest.fixture(params=["lapor", "open311"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def forwarding(
    database_url: str,
    tmp_path: Path,
    clock: Clock,
    fake: RecordingConnector,
    upstream: UpstreamFake,
    kind: str,
) -> AsyncIterator[Runtime]:
    settings = load_settings(
        database_url=database_url, state_path=tmp_path / "state.sqlite3", worker_in_process=False,
        upstream_kind=kind, upstream_url=upstream.url, upstream_token=TOKEN, upstream_timeout_seconds=0.5,
    )  # fmt: skip
    built = await build_runtime(settings, clock=clock, extra_channels={"fake": fake}, migrate=False)
    yield built
    upstream.release()
    await built.close()


async def _forward_rows(runtime: Runtime) -> list[OutboxMessage]:
    async with runtime.sessions() as session:
        rows = await session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "forward"))
        return list(rows)


async def _set_phone(runtime: Runtime, address: str) -> None:
    async with runtime.sessions.begin() as session:
        await session.execute(update(Reporter).where(Reporter.address == address).values(phone=PHONE))


async def _drain(runtime: Runtime, clock: Clock, passes: int = 12) -> None:
    """Worker passes with the clock moved past every backoff."""
    for _ in range(passes):
        await runtime.dispatcher.run_once()
        clock.advance(minutes=15)


async def test_a_chat_complaint_is_forwarded_once_through_the_outbox(
    forwarding: Runtime, upstream: UpstreamFake, clock: Clock, kind: str
) -> None:
    ticket = await file_by_chat(forwarding, "rest:dewi-1", display_name=NAME, phone=PHONE)
    [row] = await _forward_rows(forwarding)  # written with the complaint
    assert row.address == f"upstream:{ticket}" and row.status == "queued"
    await _set_phone(forwarding, "rest:dewi-1")
    upstream.script = ["500", "slow"]  # a 5xx, then a timeout the upstream did record
    await _drain(forwarding, clock)
    [row] = await _forward_rows(forwarding)
    assert row.status == "sent" and row.attempts == 3
    assert list(upstream.reports) == [ticket]  # nothing doubled
    assert [c for c in upstream.calls if c[0] == "POST"] and len(upstream.calls) == 3
    async with forwarding.sessions() as session:
        link = await session.scalar(select(UpstreamLink))
    assert link is not None and link.upstream_id == upstream.ids[ticket] and link.system == kind
    sent = upstream.reports[ticket]
    assert set(upstream.tokens) == {TOKEN}
    if kind == "lapor":
        assert (
            sent["pelapor"]["namadepan"] == "Dewi" and sent["pelapor"]["namabelakang"] == "Lestari Anggraini"
        )
        assert sent["pelapor"]["telpon"] == PHONE
        assert sent["rahasia"] == "0" and sent["anonim"] == "0"
        assert (
            sent["laporan"]["isi"].startswith("Jalan di depan rumah")
            and sent["laporan"]["kategori"] == "infrastructure"
        )
        assert link.transaction_id == f"TX-{link.upstream_id}"
    else:
        assert (
            sent["first_name"] == "Dewi"
            and sent["phone"] == PHONE
            and sent["service_code"] == "infrastructure"
        )


async def test_anonymous_and_confidential_are_honoured(
    forwarding: Runtime, upstream: UpstreamFake, clock: Clock, kind: str
) -> None:
    anonymous = await file_by_chat(
        forwarding, "rest:anon-1", identity="anonymous", display_name=NAME, phone=PHONE
    )
    await _set_phone(forwarding, "rest:anon-1")
    secret = await file_by_chat(forwarding, "rest:secret-1", identity="confidential")
    await _drain(forwarding, clock, passes=2)
    everything = str(upstream.reports[anonymous])
    assert "Dewi" not in everything and "81311112222" not in everything
    if kind == "lapor":
        assert upstream.reports[anonymous]["anonim"] == "1"
        assert set(upstream.reports[anonymous]["pelapor"].values()) == {""}
        assert upstream.reports[secret]["rahasia"] == "1"
    else:
        assert upstream.reports[anonymous]["attribute[anonim]"] == "1"
        assert upstream.reports[secret]["attribute[rahasia]"] == "1"


async def test_a_refusal_fails_and_exhausted_retries_are_dead_lettered(
    forwarding: Runtime, upstream: UpstreamFake, clock: Clock
) -> None:
    refused = await insert_complaint(forwarding, None)
    upstream.script = ["400"]
    await _drain(forwarding, clock, passes=2)
    upstream.script = ["500"] * 20
    down = await insert_complaint(forwarding, None)
    await _drain(forwarding, clock, passes=outbox.MAX_ATTEMPTS + 2)
    states = {row.address: (row.status, row.attempts) for row in await _forward_rows(forwarding)}
    assert states[f"upstream:{refused}"] == ("failed", 1)
    assert states[f"upstream:{down}"] == ("dead", outbox.MAX_ATTEMPTS)
    visible = {row.address for row in await outbox.failures(forwarding.sessions)}
    assert {f"upstream:{refused}", f"upstream:{down}"} <= visible
    assert upstream.reports == {}


async def _pushes(runtime: Runtime, ticket: str) -> int:
    async with runtime.sessions() as session:
        complaint_id = await session.scalar(select(Complaint.id).where(Complaint.ticket == ticket))
        statement = select(func.count()).where(
            OutboxMessage.complaint_id == complaint_id, OutboxMessage.kind == "push"
        )
        return int(await session.scalar(statement) or 0)


@pytest.mark.parametrize("kind", ["open311"])
async def test_a_pulled_status_change_is_applied_and_pushed_once(
    forwarding: Runtime, upstream: UpstreamFake, clock: Clock
) -> None:
    ticket = await file_by_chat(forwarding, "rest:dewi-2", display_name=NAME, phone=PHONE)
    await _drain(forwarding, clock, passes=1)
    await change_status(forwarding, SYSTEM, ticket, "verified")
    before = await _pushes(forwarding, ticket)
    upstream.statuses[upstream.ids[ticket]] = ("closed", "Lubang sudah ditambal")
    connector = forwarding.channels.by_scheme["upstream"]
    assert isinstance(connector, ForwardConnector)
    assert await pull_once(forwarding, connector.upstream) == 1
    assert await pull_once(forwarding, connector.upstream) == 0  # the same answer again
    assert await _pushes(forwarding, ticket) == before + 1
    async with forwarding.sessions() as session:
        complaint = await session.scalar(select(Complaint).where(Complaint.ticket == ticket))
        assert complaint is not None and complaint.status == "resolved"
        notes = await session.scalars(
            select(StatusEvent.public_note).where(StatusEvent.complaint_id == complaint.id)
        )
        assert "Lubang sudah ditambal" in list(notes)


@pytest.mark.parametrize("kind", ["lapor"])
async def test_the_forward_row_commits_and_rolls_back_with_its_complaint(forwarding: Runtime) -> None:
    ticket = await insert_complaint(forwarding, None)
    [row] = await _forward_rows(forwarding)
    async with forwarding.sessions() as session:
        complaint_id = await session.scalar(select(Complaint.id).where(Complaint.ticket == ticket))
    assert row.complaint_id == complaint_id and row.address == f"upstream:{ticket}"
    async with forwarding.sessions() as session:
        complaint = await session.get(Complaint, complaint_id)
        assert complaint is not None
        twin = Complaint(
            **{c.key: getattr(complaint, c.key) for c in Complaint.__table__.columns if c.key != "id"}
        )
        twin.ticket, twin.conversation_id = "LPR-ROLLBACK", "rolled-back"
        session.add(twin)
        await session.flush()
        await session.rollback()
    assert len(await _forward_rows(forwarding)) == 1
