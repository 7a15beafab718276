"""The whole loop: filed by chat, worked through the API, answered in the same chat."""

from __future__ import annotations

from typing import Any

import httpx

from bot.runtime.process import Runtime
from tests.support.officers import bearer, file_by_chat, officer, say


async def _resolve(
    client: httpx.AsyncClient, runtime: Runtime, ticket: str, token: str, address: str
) -> dict[str, Any]:
    """Verify, work and resolve ``ticket``; the last push the reporter received."""
    async with runtime.state.subscribe(f"push:{address}") as pushes:
        for status in ("verified", "in_progress", "resolved"):
            response = await client.post(
                f"/api/v1/complaints/{ticket}/status",
                json={"status": status, "note": "Lubang sudah ditambal." if status == "resolved" else None},
                headers=bearer(token),
            )
            assert response.status_code == 200, response.text
            await runtime.dispatcher.drain()
        received = [await anext(pushes) for _ in range(3)]
    assert [p["key"] for p in received] == ["push.verified", "push.in_progress", "push.resolved"]
    return received[-1]


async def test_tidak_reopens_the_complaint(client: httpx.AsyncClient, runtime: Runtime) -> None:
    token = await officer(runtime, "o@sleman.go.id", agency="PEMKAB-SLEMAN")
    address = "rest:warga-loop-1"
    ticket = await file_by_chat(runtime, address)

    push = await _resolve(client, runtime, ticket, token, address)
    replies = await say(runtime, address, "tidak")

    assert "Lubang sudah ditambal." in push["text"] and push["text"].endswith(
        "Apakah masalahnya sudah beres?"
    )
    assert push["choices"] == [["Ya", "yes"], ["Tidak", "no"]]
    assert [r.key for r in replies] == ["feedback_reopened"]
    detail = (await client.get(f"/api/v1/complaints/{ticket}", headers=bearer(token))).json()
    assert (detail["status"], detail["reopen_count"]) == ("in_progress", 1)
    assert detail["history"][-1]["action"] == "reopen" and detail["history"][-1]["actor"] == "reporter"
    notes = (await client.get("/api/v1/notifications", headers=bearer(token))).json()
    assert [n["kind"] for n in notes] == ["reopened"]


async def test_ya_and_a_rating_close_it(client: httpx.AsyncClient, runtime: Runtime) -> None:
    token = await officer(runtime, "o@sleman.go.id", agency="PEMKAB-SLEMAN")
    address = "rest:warga-loop-2"
    ticket = await file_by_chat(runtime, address)

    await _resolve(client, runtime, ticket, token, address)
    asked = await say(runtime, address, "ya")
    thanked = await say(runtime, address, "5")

    assert [r.key for r in asked] == ["feedback_rating"]
    assert [r.key for r in thanked] == ["feedback_thanks"]
    detail = (await client.get(f"/api/v1/complaints/{ticket}", headers=bearer(token))).json()
    assert (detail["status"], detail["rating"], detail["reopen_count"]) == ("closed", 5, 0)
    assert detail["closed_at"] is not None


async def test_a_numbered_answer_maps_to_the_push_choices(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    token = await officer(runtime, "o@sleman.go.id", agency="PEMKAB-SLEMAN")
    address = "rest:warga-loop-3"
    ticket = await file_by_chat(runtime, address)

    await _resolve(client, runtime, ticket, token, address)
    replies = await say(runtime, address, "2")

    assert [r.key for r in replies] == ["feedback_reopened"]


async def test_pushes_speak_the_reporters_language(client: httpx.AsyncClient, runtime: Runtime) -> None:
    token = await officer(runtime, "o@sleman.go.id", agency="PEMKAB-SLEMAN")
    address = "rest:visitor"
    await say(runtime, address, "english")
    ticket = await file_by_chat(runtime, address)

    push = await _resolve(client, runtime, ticket, token, address)

    assert push["text"].endswith("Is the problem fixed?")
    assert push["choices"] == [["Yes", "yes"], ["No", "no"]]
