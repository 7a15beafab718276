"""Export shows everything stored about an address; erasure leaves nothing personal anywhere."""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from bot.rights import requests
from bot.rights.erase import erase_address
from bot.rights.export import export
from bot.runtime.process import Runtime
from storage.models import Complaint, Reporter, RightsRequest, StatusEvent
from storage.officers_models import AuditEntry
from tests.rights.support import (
    ADDRESS,
    DRAFT_WORDS,
    NAME,
    OFFICER_NOTE,
    PHONE,
    database_dump,
    files_text,
    found_in,
    seed,
    state_dump,
)


async def _export(runtime: Runtime, address: str = ADDRESS) -> dict | None:  # type: ignore[type-arg]
    async with runtime.sessions() as session:
        return await export(session, address, await runtime.state.get(f"conv:{address}"))


async def test_export_has_every_section_of_a_seeded_reporter(
    runtime: Runtime, client: httpx.AsyncClient
) -> None:
    seeded = await seed(runtime, client)

    data = await _export(runtime)

    assert data is not None
    assert list(data) == [
        "address",
        "reporter",
        "complaints",
        "messages",
        "attachments",
        "outbox",
        "audit",
        "requests",
    ]
    assert data["address"] == ADDRESS
    assert data["reporter"]["display_name"] == NAME and data["reporter"]["phone"] == PHONE
    assert DRAFT_WORDS in str(data["reporter"]["conversation_state"])
    [complaint] = data["complaints"]
    assert complaint["ticket"] == seeded.ticket and NAME in complaint["description"]
    assert [e["to_status"] for e in complaint["history"]] == ["received", "verified"]
    assert any(m["direction"] == "in" and NAME in m["text"] for m in data["messages"])
    assert [a["content_type"] for a in data["attachments"]] == ["image/jpeg"]
    assert "content" not in data["attachments"][0]  # metadata, not the photo itself
    assert [o["kind"] for o in data["outbox"]] == ["push"]
    assert {"identity_view"} <= {a["action"] for a in data["audit"]}
    assert all(a["ticket"] == seeded.ticket for a in data["audit"])


async def test_export_of_an_unknown_address_is_none(runtime: Runtime) -> None:
    assert await _export(runtime, "rest:nobody") is None


async def test_after_erasure_nothing_personal_is_left_anywhere(
    runtime: Runtime, client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture, app_logging: None
) -> None:
    seeded = await seed(runtime, client)
    assert found_in(await database_dump(runtime))  # the search finds the seeded data before

    with caplog.at_level(logging.DEBUG):
        report = await erase_address(
            runtime.sessions, runtime.state, ADDRESS, actor="cli:test", now=runtime.clock()
        )

    assert report is not None and report.held == []
    assert (report.complaints_anonymised, report.attachments_erased) == (1, 1)
    assert report.messages_erased > 10
    assert await _export(runtime) is None
    assert found_in(await database_dump(runtime)) == []
    assert found_in(await state_dump(runtime)) == []
    logged = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    assert found_in(logged) == []
    if runtime.settings.database_url.startswith("sqlite"):
        database_file = Path(
            runtime.settings.database_url.removeprefix("sqlite+aiosqlite:///").removeprefix("sqlite:///")
        )
        assert found_in(files_text(database_file)) == []  # not even in free pages or the WAL
    await _facts_are_kept(runtime, seeded.ticket)


async def _facts_are_kept(runtime: Runtime, ticket: str) -> None:
    async with runtime.sessions() as session:
        complaint = await session.scalar(select(Complaint).where(Complaint.ticket == ticket))
        assert complaint is not None
        assert (complaint.category, complaint.status) == ("infrastructure", "verified")
        assert complaint.regency_code is not None and complaint.verify_due is not None
        assert complaint.anonymised_at is not None
        assert "hubungi [DIHAPUS]" in complaint.description and "[NIK]" in complaint.description
        assert "berlubang besar" in complaint.description
        notes = (
            await session.scalars(
                select(StatusEvent.public_note).where(StatusEvent.complaint_id == complaint.id)
            )
        ).all()
        assert OFFICER_NOTE in notes
        reporter = await session.get(Reporter, complaint.reporter_id)
        assert reporter is not None and reporter.erased_at is not None
        [request] = (await session.scalars(select(RightsRequest))).all()
        assert (request.kind, request.actor, request.outcome) == ("erase", "cli:test", "done")
        assert request.detail["tickets_anonymised"] == [ticket]
        erased = await session.scalar(select(AuditEntry).where(AuditEntry.action == "reporter_erased"))
        assert erased is not None and erased.complaint_id == complaint.id


async def test_a_dry_run_changes_nothing(runtime: Runtime, client: httpx.AsyncClient) -> None:
    await seed(runtime, client)
    before = await database_dump(runtime)

    report = await erase_address(
        runtime.sessions, runtime.state, ADDRESS, actor="cli:test", now=runtime.clock(), dry_run=True
    )

    assert report is not None and report.dry_run and report.complaints_anonymised == 1
    assert report.messages_erased > 10 and report.attachments_erased == 1
    assert await database_dump(runtime) == before
    assert await runtime.state.get(f"conv:{ADDRESS}") is not None


async def test_a_complaint_under_legal_hold_is_kept_whole(
    runtime: Runtime, client: httpx.AsyncClient
) -> None:
    seeded = await seed(runtime, client)
    held = await client.post(
        f"/api/v1/complaints/{seeded.ticket}/legal-hold",
        json={"hold": True},
        headers={"Authorization": f"Bearer {seeded.token}"},
    )
    assert held.status_code == 200 and held.json() == {"ticket": seeded.ticket, "legal_hold": True}

    report = await erase_address(
        runtime.sessions, runtime.state, ADDRESS, actor=requests.operator(), now=runtime.clock()
    )

    assert report is not None and report.held == [seeded.ticket]
    assert report.complaints_anonymised == 0 and not report.identity_erased
    data = await _export(runtime)
    assert data is not None and data["complaints"][0]["legal_hold"] is True
    assert NAME in data["complaints"][0]["description"]
    assert data["requests"][-1]["outcome"] == "held"
    assert DRAFT_WORDS not in str(data["messages"])  # the unfinished draft is not held: it went
    async with runtime.sessions() as session:
        actions = (await session.scalars(select(AuditEntry.action))).all()
    assert "legal_hold_set" in actions
