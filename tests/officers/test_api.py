"""The officer API: auth and roles, lists and filters, detail, and every action."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import httpx
from sqlalchemy import func, select

from bot.runtime.process import Runtime
from storage.models import Complaint, OutboxMessage, Reporter, StatusEvent
from storage.officers_models import AuditEntry
from tests.support.officers import WindowedConnector, bearer, file_by_chat, insert_complaint, officer, say


async def _count(runtime: Runtime, model: type, *where: object) -> int:
    async with runtime.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model).where(*where)) or 0)  # type: ignore[arg-type]


async def test_requests_without_a_valid_token_are_401(client: httpx.AsyncClient, runtime: Runtime) -> None:
    await officer(runtime, "a@pupr.go.id", agency="PUPR")

    missing = await client.get("/api/v1/complaints")
    wrong = await client.get("/api/v1/complaints", headers=bearer("lpt_not-a-token"))
    basic = await client.get("/api/v1/complaints", headers={"Authorization": "Basic dXNlcjpwYXNz"})

    assert [missing.status_code, wrong.status_code, basic.status_code] == [401, 401, 401]
    assert missing.headers["www-authenticate"] == "Bearer"


async def test_a_viewer_reads_but_cannot_change(client: httpx.AsyncClient, runtime: Runtime) -> None:
    token = await officer(runtime, "v@pupr.go.id", role="viewer", agency="PUPR")
    ticket = await insert_complaint(runtime, "PUPR")

    listed = await client.get("/api/v1/complaints", headers=bearer(token))
    changed = await client.post(
        f"/api/v1/complaints/{ticket}/status", json={"status": "verified"}, headers=bearer(token)
    )
    routed = await client.post(
        f"/api/v1/complaints/{ticket}/route", json={"agency": "KEMENKES"}, headers=bearer(token)
    )

    assert listed.status_code == 200 and listed.json()["total"] == 1
    assert changed.status_code == 403 and routed.status_code == 403
    assert await _count(runtime, StatusEvent) == 1


async def test_a_viewer_never_sees_confidential_complaints(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    token = await officer(runtime, "v@pupr.go.id", role="viewer", agency="PUPR")
    secret = await insert_complaint(runtime, "PUPR", confidential=True)
    await insert_complaint(runtime, "PUPR")

    listed = (await client.get("/api/v1/complaints", headers=bearer(token))).json()
    one = await client.get(f"/api/v1/complaints/{secret}", headers=bearer(token))

    assert listed["total"] == 1 and secret not in {c["ticket"] for c in listed["items"]}
    assert one.status_code == 404


async def test_list_filters_and_search(client: httpx.AsyncClient, runtime: Runtime) -> None:
    token = await officer(runtime, "admin@lapor.go.id", role="admin")
    early = datetime(2026, 2, 2, 3, 0, tzinfo=UTC)
    road = await insert_complaint(runtime, "PUPR", title="Jalan berlubang di Jl. Kaliurang", created_at=early)
    clinic = await insert_complaint(
        runtime, "KEMENKES", category="health", title="Puskesmas tutup", regency_code="32.73",
        status="verified", followup_due=date(2026, 2, 20),
    )  # fmt: skip
    late = await insert_complaint(runtime, "PUPR", title="Lampu jalan mati", verify_due=date(2026, 2, 27))

    async def tickets(**params: object) -> set[str]:
        response = await client.get("/api/v1/complaints", params=params, headers=bearer(token))  # type: ignore[arg-type]
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["total"] == len(body["items"])
        return {item["ticket"] for item in body["items"]}

    assert await tickets() == {road, clinic, late}
    assert await tickets(status="verified") == {clinic}
    assert await tickets(status=["received", "verified"]) == {road, clinic, late}
    assert await tickets(category="health") == {clinic}
    assert await tickets(region="32.73") == {clinic}
    assert await tickets(region="3404") == {road, late}
    assert await tickets(region="34") == {road, late}
    assert await tickets(agency="kemenkes") == {clinic}
    assert await tickets(q="kaliurang") == {road}
    assert await tickets(q="%") == set()
    assert await tickets(created_to="2026-02-28") == {road}
    assert await tickets(created_from="2026-03-01") == {clinic, late}
    assert await tickets(overdue="true") == {clinic, late}
    assert await tickets(overdue="false") == {road}
    page = (await client.get("/api/v1/complaints", params={"limit": 1}, headers=bearer(token))).json()
    assert page["total"] == 3 and len(page["items"]) == 1
    by_due = await client.get("/api/v1/complaints", params={"sort": "due"}, headers=bearer(token))
    assert [i["ticket"] for i in by_due.json()["items"]][:2] == [clinic, late]


async def test_overdue_is_flagged_and_counted(client: httpx.AsyncClient, runtime: Runtime) -> None:
    token = await officer(runtime, "o@pupr.go.id", agency="PUPR")
    await insert_complaint(runtime, "PUPR", verify_due=date(2026, 2, 27))
    await insert_complaint(runtime, "PUPR", verify_due=date(2026, 3, 3))

    items = (await client.get("/api/v1/complaints", headers=bearer(token))).json()["items"]
    stats = (await client.get("/api/v1/stats", headers=bearer(token))).json()

    assert sorted(i["urgency"] for i in items) == ["overdue", "soon"]
    assert [i["overdue"] for i in items].count(True) == 1
    assert {k: stats[k] for k in ("total", "overdue", "by_status")} == {
        "total": 2,
        "overdue": 1,
        "by_status": {"received": 2},
    }


async def test_detail_has_history_transcript_and_reporter(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    token = await officer(runtime, "o@sleman.go.id", agency="PEMKAB-SLEMAN")
    ticket = await file_by_chat(runtime, "rest:warga-1")

    response = await client.get(f"/api/v1/complaints/{ticket}", headers=bearer(token))

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["agency"] == "PEMKAB-SLEMAN" and body["regency_code"] == "34.04"
    assert body["history"][0]["to_status"] == "received" and body["history"][0]["actor"] == "reporter"
    assert any("Kaliurang" in line["text"] for line in body["transcript"] if line["direction"] == "in")
    assert body["reporter"] == {"channel": "rest", "language": "id", "opted_out": False}
    assert body["allowed_statuses"] == ["verified", "needs_info", "rejected"]


async def test_status_change_records_history_and_pushes(client: httpx.AsyncClient, runtime: Runtime) -> None:
    token = await officer(runtime, "o@sleman.go.id", agency="PEMKAB-SLEMAN")
    ticket = await file_by_chat(runtime, "rest:warga-2")

    async with runtime.state.subscribe("push:rest:warga-2") as pushes:
        response = await client.post(
            f"/api/v1/complaints/{ticket}/status",
            json={"status": "verified", "note": "Tim kami akan survei.", "internal_note": "prioritas"},
            headers=bearer(token),
        )
        await runtime.dispatcher.drain()
        push = await anext(pushes)

    assert response.status_code == 200, response.text
    assert response.json() | {"event_id": 0} == {
        "ticket": ticket, "status": "verified", "previous_status": "received", "event_id": 0,
        "push": "queued",
    }  # fmt: skip
    assert push["key"] == "push.verified" and ticket in push["text"]
    assert "Pemerintah Kabupaten Sleman" in push["text"] and "Tim kami akan survei." in push["text"]
    assert "prioritas" not in push["text"]
    detail = (await client.get(f"/api/v1/complaints/{ticket}", headers=bearer(token))).json()
    last = detail["history"][-1]
    assert (last["from_status"], last["to_status"], last["internal_note"]) == (
        "received",
        "verified",
        "prioritas",
    )
    assert await _count(runtime, AuditEntry, AuditEntry.action == "status_change") == 1
    assert (
        await _count(runtime, OutboxMessage, OutboxMessage.kind == "push", OutboxMessage.status == "sent")
        == 1
    )


async def test_illegal_moves_are_refused(client: httpx.AsyncClient, runtime: Runtime) -> None:
    token = await officer(runtime, "o@pupr.go.id", agency="PUPR")
    ticket = await insert_complaint(runtime, "PUPR")

    async def post(body: dict[str, object]) -> int:
        response = await client.post(f"/api/v1/complaints/{ticket}/status", json=body, headers=bearer(token))
        return response.status_code

    assert await post({"status": "resolved"}) == 409
    assert await post({"status": "closed"}) == 409
    assert await post({"status": "rejected"}) == 422
    assert await post({"status": "needs_info"}) == 422
    assert await post({"status": "flying"}) == 422
    assert await _count(runtime, StatusEvent) == 1


async def test_idempotency_key_replays_without_a_second_change(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    token = await officer(runtime, "o@pupr.go.id", agency="PUPR")
    ticket = await insert_complaint(runtime, "PUPR")
    headers = bearer(token) | {"Idempotency-Key": "req-123"}
    url = f"/api/v1/complaints/{ticket}/status"

    first = await client.post(url, json={"status": "verified", "note": "ok"}, headers=headers)
    again = await client.post(url, json={"status": "verified", "note": "ok"}, headers=headers)
    other = await client.post(url, json={"status": "in_progress"}, headers=headers)

    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert other.status_code == 422
    assert await _count(runtime, StatusEvent, StatusEvent.to_status == "verified") == 1
    assert await _count(runtime, OutboxMessage) == 1


async def test_reroute_hands_the_complaint_to_another_agency(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    pupr = await officer(runtime, "o@pupr.go.id", agency="PUPR")
    sleman = await officer(runtime, "o@sleman.go.id", agency="PEMKAB-SLEMAN")
    ticket = await insert_complaint(runtime, "PUPR")

    routed = await client.post(
        f"/api/v1/complaints/{ticket}/route",
        json={"agency": "PEMKAB-SLEMAN", "note": "Jalan kabupaten.", "internal_note": "bukan jalan nasional"},
        headers=bearer(pupr),
    )
    again = await client.post(
        f"/api/v1/complaints/{ticket}/route", json={"agency": "PEMKAB-SLEMAN"}, headers=bearer(sleman)
    )
    unknown = await client.post(
        f"/api/v1/complaints/{ticket}/route", json={"agency": "NOPE"}, headers=bearer(sleman)
    )

    assert routed.status_code == 200, routed.text
    assert (await client.get(f"/api/v1/complaints/{ticket}", headers=bearer(pupr))).status_code == 404
    detail = (await client.get(f"/api/v1/complaints/{ticket}", headers=bearer(sleman))).json()
    assert detail["agency"] == "PEMKAB-SLEMAN"
    assert detail["history"][-1]["action"] == "route"
    assert "PUPR → PEMKAB-SLEMAN" in detail["history"][-1]["internal_note"]
    assert (again.status_code, unknown.status_code) == (409, 422)
    async with runtime.sessions() as session:
        payload = (await session.scalars(select(OutboxMessage.payload))).one()
    assert payload["key"] == "push.routed" and "Pemerintah Kabupaten Sleman" in payload["text"]


async def test_asking_for_information_attaches_the_reply(client: httpx.AsyncClient, runtime: Runtime) -> None:
    token = await officer(runtime, "o@sleman.go.id", agency="PEMKAB-SLEMAN")
    ticket = await file_by_chat(runtime, "rest:warga-3")

    async with runtime.state.subscribe("push:rest:warga-3") as pushes:
        asked = await client.post(
            f"/api/v1/complaints/{ticket}/request-info",
            json={"question": "Di depan nomor rumah berapa tepatnya?"},
            headers=bearer(token),
        )
        await runtime.dispatcher.drain()
        push = await anext(pushes)
    replies = await say(runtime, "rest:warga-3", "Depan rumah nomor 17, dekat masjid")

    assert asked.status_code == 200 and asked.json()["status"] == "needs_info"
    assert push["key"] == "push.needs_info" and "nomor rumah berapa" in push["text"]
    assert [r.key for r in replies] == ["info_forwarded"]
    detail = (await client.get(f"/api/v1/complaints/{ticket}", headers=bearer(token))).json()
    assert detail["status"] == "in_progress"
    assert detail["history"][-1]["action"] == "reporter_reply"
    assert detail["history"][-1]["public_note"] == "Depan rumah nomor 17, dekat masjid"
    notes = (await client.get("/api/v1/notifications", headers=bearer(token))).json()
    assert [n["kind"] for n in notes] == ["reporter_reply"] and notes[0]["ticket"] == ticket
    read = await client.post(f"/api/v1/notifications/{notes[0]['id']}/read", headers=bearer(token))
    assert read.status_code == 204
    assert (await client.get("/api/v1/notifications?unread=true", headers=bearer(token))).json() == []


async def test_merge_closes_the_duplicate(client: httpx.AsyncClient, runtime: Runtime) -> None:
    token = await officer(runtime, "o@pupr.go.id", agency="PUPR")
    keep = await insert_complaint(runtime, "PUPR")
    duplicate = await insert_complaint(runtime, "PUPR")
    elsewhere = await insert_complaint(runtime, "KEMENKES")

    merged = await client.post(
        f"/api/v1/complaints/{duplicate}/merge", json={"into": keep}, headers=bearer(token)
    )
    foreign = await client.post(
        f"/api/v1/complaints/{keep}/merge", json={"into": elsewhere}, headers=bearer(token)
    )
    itself = await client.post(f"/api/v1/complaints/{keep}/merge", json={"into": keep}, headers=bearer(token))

    assert merged.status_code == 200, merged.text
    detail = (await client.get(f"/api/v1/complaints/{duplicate}", headers=bearer(token))).json()
    assert (detail["status"], detail["rejection_reason"], detail["merged_into"]) == (
        "rejected",
        "duplikat",
        keep,
    )
    kept = (await client.get(f"/api/v1/complaints/{keep}", headers=bearer(token))).json()
    assert kept["status"] == "received" and kept["history"][-1]["action"] == "merged_in"
    assert (foreign.status_code, itself.status_code) == (404, 422)


async def test_reject_needs_a_reason_and_tells_the_reporter(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    token = await officer(runtime, "o@pupr.go.id", agency="PUPR")
    ticket = await insert_complaint(runtime, "PUPR", language="en")

    missing = await client.post(f"/api/v1/complaints/{ticket}/reject", json={}, headers=bearer(token))
    rejected = await client.post(
        f"/api/v1/complaints/{ticket}/reject", json={"reason": "bukan_wewenang"}, headers=bearer(token)
    )

    assert missing.status_code == 422 and rejected.status_code == 200
    async with runtime.sessions() as session:
        payload = (await session.scalars(select(OutboxMessage.payload))).one()
    assert payload["key"] == "push.rejected"
    assert "outside the authority" in payload["text"]  # the reporter's language


async def test_csv_export_neutralises_formulas(client: httpx.AsyncClient, runtime: Runtime) -> None:
    token = await officer(runtime, "o@pupr.go.id", agency="PUPR")
    payloads = ['=HYPERLINK("http://x","y")', "+62 812", "-1+2", "@SUM(A1)", "\tTab", "\rCR", "Aman"]
    for title in payloads:
        await insert_complaint(runtime, "PUPR", title=title)
    await insert_complaint(runtime, "KEMENKES", title="=orang lain")

    response = await client.get("/api/v1/complaints.csv", headers=bearer(token))

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    titles = {row["title"] for row in rows}
    assert titles == {"'" + t for t in payloads[:-1]} | {"Aman"}
    assert await _count(runtime, AuditEntry, AuditEntry.action == "export") == 1


async def test_identity_needs_its_own_permission_and_is_audited(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    plain = await officer(runtime, "o@pupr.go.id", agency="PUPR")
    trusted = await officer(runtime, "t@pupr.go.id", agency="PUPR", identity_access=True)
    public = await insert_complaint(runtime, "PUPR", address="rest:budi-santoso")
    hidden = await insert_complaint(runtime, "PUPR", anonymous=True)

    refused = await client.get(f"/api/v1/complaints/{public}/reporter", headers=bearer(plain))
    shown = await client.get(f"/api/v1/complaints/{public}/reporter", headers=bearer(trusted))
    anonymous = await client.get(f"/api/v1/complaints/{hidden}/reporter", headers=bearer(trusted))
    detail = (await client.get(f"/api/v1/complaints/{hidden}", headers=bearer(trusted))).json()

    assert refused.status_code == 403
    assert shown.status_code == 200 and shown.json()["address"] == "rest:budi-santoso"
    assert anonymous.status_code == 404 and detail["reporter"] is None
    async with runtime.sessions() as session:
        actions = (await session.scalars(select(AuditEntry.action).order_by(AuditEntry.id))).all()
    assert [a for a in actions if a.startswith("identity")] == [
        "identity_refused",
        "identity_view",
        "identity_refused",
    ]


async def test_opted_out_reporters_get_no_push(client: httpx.AsyncClient, runtime: Runtime) -> None:
    token = await officer(runtime, "o@pupr.go.id", agency="PUPR")
    ticket = await insert_complaint(runtime, "PUPR", address="rest:stopped")
    async with runtime.sessions() as session:
        reporter = (await session.scalars(select(Reporter).where(Reporter.address == "rest:stopped"))).one()
        reporter.opted_out = True
        await session.commit()

    response = await client.post(
        f"/api/v1/complaints/{ticket}/status", json={"status": "verified"}, headers=bearer(token)
    )

    assert response.status_code == 200 and response.json()["push"] == "suppressed"
    assert await _count(runtime, OutboxMessage) == 0
    assert await _count(runtime, AuditEntry, AuditEntry.action == "push_suppressed") == 1


async def test_whatsapp_outside_24_hours_gets_the_template(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    runtime.channels.add(WindowedConnector())
    token = await officer(runtime, "o@pupr.go.id", agency="PUPR")
    old = runtime.clock() - timedelta(days=2)
    stale = await insert_complaint(runtime, "PUPR", address="whatsapp:+6281200000001", created_at=old)
    fresh = await insert_complaint(runtime, "PUPR", address="whatsapp:+6281200000002")

    for ticket in (stale, fresh):
        response = await client.post(
            f"/api/v1/complaints/{ticket}/status", json={"status": "verified"}, headers=bearer(token)
        )
        assert response.status_code == 200

    async with runtime.sessions() as session:
        rows = (await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all()
    assert rows[0].payload["template"] == {
        "name": "status_update",
        "variables": {"1": stale, "2": "Terverifikasi"},
    }
    assert "template" not in rows[1].payload


async def test_failed_pushes_are_shown_and_can_be_retried(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    from connectors.messages import SendOutcome
    from tests.support.officers import RecordingConnector

    fake: RecordingConnector = runtime.channels.by_scheme["fake"]  # type: ignore[assignment]
    fake.outcome = SendOutcome.FAILED
    admin = await officer(runtime, "admin@lapor.go.id", role="admin")
    other = await officer(runtime, "o@kemenkes.go.id", agency="KEMENKES")
    ticket = await insert_complaint(runtime, "PUPR", address="fake:+6281299999999")

    await client.post(
        f"/api/v1/complaints/{ticket}/status", json={"status": "verified"}, headers=bearer(admin)
    )
    await runtime.dispatcher.drain()
    shown = (await client.get("/api/v1/outbox/failures", headers=bearer(admin))).json()
    hidden = (await client.get("/api/v1/outbox/failures", headers=bearer(other))).json()
    fake.outcome = SendOutcome.SENT
    retried = await client.post(f"/api/v1/outbox/{shown[0]['id']}/retry", headers=bearer(admin))
    await runtime.dispatcher.drain()

    assert [(f["ticket"], f["status"], f["message_key"]) for f in shown] == [
        (ticket, "failed", "push.verified")
    ]
    assert hidden == []
    assert retried.status_code == 204
    assert len(fake.sent) == 2
    assert (await client.get("/api/v1/outbox/failures", headers=bearer(admin))).json() == []
    async with runtime.sessions() as session:
        assert (await session.scalars(select(Complaint.status))).one() == "verified"


async def test_the_audit_log_cannot_be_rewritten(client: httpx.AsyncClient, runtime: Runtime) -> None:
    from sqlalchemy import delete, update
    from sqlalchemy.exc import DBAPIError

    token = await officer(runtime, "o@pupr.go.id", agency="PUPR")
    ticket = await insert_complaint(runtime, "PUPR")
    await client.post(
        f"/api/v1/complaints/{ticket}/status", json={"status": "verified"}, headers=bearer(token)
    )

    for statement in (update(AuditEntry).values(action="nothing"), delete(AuditEntry)):
        async with runtime.sessions() as session:
            try:
                await session.execute(statement)
                await session.commit()
            except DBAPIError as exc:
                assert "append-only" in str(exc)
            else:
                raise AssertionError(f"{statement} was allowed")
    assert await _count(runtime, AuditEntry, AuditEntry.action == "status_change") == 1
