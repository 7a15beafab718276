"""Agency isolation: another agency's complaint does not exist for an officer, anywhere."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from bot.runtime.process import Runtime
from storage.models import Attachment, Complaint
from tests.support.officers import bearer, insert_complaint, officer


async def test_another_agencys_complaint_is_invisible_everywhere(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    pupr = await officer(runtime, "o@pupr.go.id", agency="PUPR")
    mine = await insert_complaint(runtime, "PUPR", title="Jembatan retak")
    theirs = await insert_complaint(runtime, "KEMENKES", title="Rahasia Kemenkes", status="verified")
    unrouted = await insert_complaint(runtime, None, title="Belum didisposisi")
    async with runtime.sessions() as session:
        complaint_id = await session.scalar(select(Complaint.id).where(Complaint.ticket == theirs))
        attachment = Attachment(
            conversation_id="x", complaint_id=complaint_id, content_type="image/png", size=3, sha256="0" * 64,
            content=b"png", created_at=runtime.clock(),
        )  # fmt: skip
        session.add(attachment)
        await session.commit()
    h = bearer(pupr)

    listed = (await client.get("/api/v1/complaints", headers=h)).json()
    searched = (await client.get("/api/v1/complaints", params={"q": "Rahasia"}, headers=h)).json()
    by_agency = (await client.get("/api/v1/complaints", params={"agency": "KEMENKES"}, headers=h)).json()
    stats = (await client.get("/api/v1/stats", headers=h)).json()
    export = (await client.get("/api/v1/complaints.csv", headers=h)).text

    assert [c["ticket"] for c in listed["items"]] == [mine] and listed["total"] == 1
    assert searched["total"] == 0 and by_agency["total"] == 0
    assert {k: stats[k] for k in ("total", "overdue", "by_status")} == {
        "total": 1,
        "overdue": 0,
        "by_status": {"received": 1},
    }
    assert mine in export and theirs not in export and unrouted not in export
    for ticket in (theirs, unrouted):
        assert (await client.get(f"/api/v1/complaints/{ticket}", headers=h)).status_code == 404
        assert (await client.get(f"/api/v1/complaints/{ticket}/reporter", headers=h)).status_code == 404
        for action, body in (
            ("status", {"status": "in_progress"}),
            ("route", {"agency": "PUPR"}),
            ("request-info", {"question": "?"}),
            ("reject", {"reason": "spam"}),
            ("merge", {"into": mine}),
        ):
            response = await client.post(f"/api/v1/complaints/{ticket}/{action}", json=body, headers=h)
            assert response.status_code == 404, (action, response.text)
    merge_into = await client.post(f"/api/v1/complaints/{mine}/merge", json={"into": theirs}, headers=h)
    assert merge_into.status_code == 404
    image = await client.get(f"/api/v1/complaints/{theirs}/attachments/{attachment.id}", headers=h)
    smuggled = await client.get(f"/api/v1/complaints/{mine}/attachments/{attachment.id}", headers=h)
    assert image.status_code == 404 and smuggled.status_code == 404
    async with runtime.sessions() as session:
        assert (
            await session.scalar(select(Complaint.status).where(Complaint.ticket == theirs))
        ) == "verified"


async def test_an_unknown_ticket_and_a_foreign_one_look_the_same(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    h = bearer(await officer(runtime, "o@pupr.go.id", agency="PUPR"))
    theirs = await insert_complaint(runtime, "KEMENKES")

    foreign = await client.get(f"/api/v1/complaints/{theirs}", headers=h)
    unknown = await client.get("/api/v1/complaints/LPR-00000000", headers=h)

    assert (foreign.status_code, foreign.json()) == (unknown.status_code, unknown.json())


async def test_an_admin_sees_every_agency(client: httpx.AsyncClient, runtime: Runtime) -> None:
    h = bearer(await officer(runtime, "root@lapor.go.id", role="admin"))
    tickets = {await insert_complaint(runtime, code) for code in ("PUPR", "KEMENKES", None)}

    listed = (await client.get("/api/v1/complaints", headers=h)).json()

    assert {c["ticket"] for c in listed["items"]} == tickets
