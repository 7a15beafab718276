"""HAPUS DATA on the REST channel: confirmation with YA / TIDAK, then erasure (or a legal hold's reason)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from bot.runtime.process import Runtime
from tests.rights.support import ADDRESS, database_dump, found_in, seed, state_dump

SENDER = ADDRESS.removeprefix("rest:")


async def _says(client: httpx.AsyncClient, text: str, sender: str = SENDER) -> list[dict[str, Any]]:
    response = await client.post("/webhooks/rest/webhook", json={"sender": sender, "message": text})
    assert response.status_code == 200, response.text
    replies: list[dict[str, Any]] = response.json()
    return replies


def _text(runtime: Runtime, key: str, language: str = "id", **params: str) -> str:
    return runtime.texts.render(key, language, params or None)


async def test_ya_erases_and_confirms(runtime: Runtime, client: httpx.AsyncClient) -> None:
    await seed(runtime, client)

    [question] = await _says(client, "HAPUS DATA")
    [done] = await _says(client, "YA")

    assert question["text"] == _text(runtime, "erase_confirm")
    assert [b["title"] for b in question["buttons"]] == ["Ya", "Tidak"]
    assert done["text"] == _text(runtime, "erase_done")
    assert found_in(await database_dump(runtime)) == []
    assert found_in(await state_dump(runtime)) == []


async def test_tidak_keeps_everything_and_goes_back_to_the_draft(
    runtime: Runtime, client: httpx.AsyncClient
) -> None:
    await seed(runtime, client)  # ends with an open draft waiting for an answer
    before = await database_dump(runtime)
    draft = await runtime.state.get(f"conv:{ADDRESS}")
    assert draft is not None and draft["flow"] is not None

    await _says(client, "/hapus_data")
    kept, *again = await _says(client, "tidak")

    assert kept["text"] == _text(runtime, "erase_kept")
    assert again, "the draft's pending question is asked again"
    after = await runtime.state.get(f"conv:{ADDRESS}")
    assert after is not None and after["slots"] == draft["slots"] and after["awaiting"] == draft["awaiting"]
    assert "erase_pending" not in after["context"]
    # Nothing was erased: only the new lines of the transcript were added.
    assert set(before.splitlines()) <= set((await database_dump(runtime)).splitlines())


async def test_an_unclear_answer_asks_again(runtime: Runtime, client: httpx.AsyncClient) -> None:
    await seed(runtime, client)
    await _says(client, "HAPUS DATA")

    [retry] = await _says(client, "mungkin nanti")
    [done] = await _says(client, "1")  # the first button, numbered

    assert retry["text"] == _text(runtime, "erase_retry")
    assert done["text"] == _text(runtime, "erase_done")


async def test_english_keyword_and_consent_is_asked_again_afterwards(
    runtime: Runtime, client: httpx.AsyncClient
) -> None:
    await _says(client, "halo", sender="newcomer")
    await _says(client, "setuju", sender="newcomer")
    await _says(client, "jalan di depan pasar Sleman berlubang besar", sender="newcomer")  # a draft

    await _says(client, "DELETE MY DATA", sender="newcomer")
    [done] = await _says(client, "yes", sender="newcomer")
    [greeting] = await _says(client, "halo", sender="newcomer")

    assert done["text"] == _text(runtime, "erase_done")
    assert greeting["text"] == _text(runtime, "consent")  # consent withdrawn, draft discarded
    assert "pasar Sleman" not in await database_dump(runtime)


@pytest.mark.parametrize("word", ["HAPUS DATA", "/hapus_data", "/hapus_data@laporbot", "Hapus data saya."])
async def test_every_spelling_asks_for_confirmation(
    runtime: Runtime, client: httpx.AsyncClient, word: str
) -> None:
    await _says(client, "halo")
    [question] = await _says(client, word)
    assert question["text"] == _text(runtime, "erase_confirm")


async def test_a_held_complaint_is_not_erased_and_the_reporter_is_told_why(
    runtime: Runtime, client: httpx.AsyncClient
) -> None:
    seeded = await seed(runtime, client)
    held = await client.post(
        f"/api/v1/complaints/{seeded.ticket}/legal-hold",
        json={"hold": True},
        headers={"Authorization": f"Bearer {seeded.token}"},
    )
    assert held.status_code == 200

    await _says(client, "HAPUS DATA")
    [answer] = await _says(client, "YA")

    assert answer["text"] == _text(runtime, "erase_held", tickets=seeded.ticket)
    assert "proses hukum" in answer["text"]
    assert seeded.ticket in await database_dump(runtime)
    assert found_in(await database_dump(runtime))  # the held complaint keeps its reporter
