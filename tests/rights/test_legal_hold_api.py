"""Officers set and lift a legal hold through the API, within their scope, audited."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from bot.runtime.process import Runtime
from storage.officers_models import AuditEntry
from tests.support.officers import bearer, insert_complaint, officer


async def _hold(client: httpx.AsyncClient, ticket: str, token: str, hold: bool = True) -> httpx.Response:
    return await client.post(
        f"/api/v1/complaints/{ticket}/legal-hold", json={"hold": hold}, headers=bearer(token)
    )


async def test_set_and_lift_are_audited(runtime: Runtime, client: httpx.AsyncClient) -> None:
    token = await officer(runtime, "a@pupr.go.id", agency="PUPR")
    ticket = await insert_complaint(runtime, "PUPR")

    set_ = await _hold(client, ticket, token)
    again = await _hold(client, ticket, token)
    lifted = await _hold(client, ticket, token, hold=False)

    assert [r.json()["legal_hold"] for r in (set_, again, lifted)] == [True, True, False]
    async with runtime.sessions() as session:
        actions = (
            await session.scalars(
                select(AuditEntry.action).where(AuditEntry.action.like("legal_hold%")).order_by(AuditEntry.id)
            )
        ).all()
    assert actions == ["legal_hold_set", "legal_hold_lifted"]  # setting it twice is one change


async def test_only_writers_in_scope_may_hold(runtime: Runtime, client: httpx.AsyncClient) -> None:
    viewer = await officer(runtime, "v@pupr.go.id", role="viewer", agency="PUPR")
    other = await officer(runtime, "o@kemenkes.go.id", agency="KEMENKES")
    ticket = await insert_complaint(runtime, "PUPR")

    assert (await _hold(client, ticket, viewer)).status_code == 403
    assert (await _hold(client, ticket, other)).status_code == 404
    assert (
        await client.post(f"/api/v1/complaints/{ticket}/legal-hold", json={"hold": True})
    ).status_code == 401
    bad = await client.post(
        f"/api/v1/complaints/{ticket}/legal-hold", json={"hold": "maybe"}, headers=bearer(viewer)
    )
    assert bad.status_code in {403, 422}
