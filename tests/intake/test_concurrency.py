"""200 citizens at once over the REST channel: 200 complaints, no cross-talk."""

from __future__ import annotations

import asyncio
import re

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bot.http.app import create_app
from bot.runtime.process import Runtime
from storage.models import Complaint, Message
from tests.support import REST_HEADERS
from tests.support.autopilot import Answers, file_complaint

CITIZENS = 200

pytestmark = pytest.mark.slow


def _keys_of(client: httpx.AsyncClient, sender: str) -> object:
    async def send(text: str) -> list[str]:
        response = await client.post("/webhooks/rest/webhook", json={"sender": sender, "message": text})
        assert response.status_code == 200, response.text
        return [_key(item["text"]) for item in response.json()]

    return send


def _key(text: str) -> str:
    first = text.split("\n", maxsplit=1)[0]
    return next((key for pattern, key in PATTERNS if pattern.fullmatch(first)), "?")


PATTERNS: list[tuple[re.Pattern[str], str]] = []


# The two deployment shapes; the mixed ones add time, not coverage.
SHAPES = {("sqlite", "embedded"), ("postgres", "redis")}


async def test_two_hundred_citizens_at_once(runtime: Runtime, request: pytest.FixtureRequest) -> None:
    shape = (request.node.callspec.params["database_url"], request.node.callspec.params["state_settings"])
    if shape not in SHAPES:
        pytest.skip("200 citizens run on SQLite+embedded and PostgreSQL+Redis only")
    _index_texts(runtime)
    transport = httpx.ASGITransport(app=create_app(runtime=runtime))
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", headers=REST_HEADERS, timeout=120
    ) as client:
        runs = [
            file_complaint(
                _keys_of(client, f"warga{i}"),  # type: ignore[arg-type]
                Answers(
                    description=f"jalan berlubang besar nomor {i} di depan pasar desa",
                    location=f"Jl. Warga {i}, Kabupaten Sleman",
                    identity="Anonim" if i % 2 else "Publik",
                ),
            )
            for i in range(CITIZENS)
        ]
        await asyncio.gather(*runs)
    async with runtime.sessions() as session:
        complaints = (
            await session.scalars(select(Complaint).options(selectinload(Complaint.reporter)))
        ).all()
    assert len(complaints) == CITIZENS
    for complaint in complaints:
        number = complaint.reporter.address.removeprefix("rest:warga")
        assert f"nomor {number} " in complaint.description
        assert f"Jl. Warga {number}," in (complaint.location_text or "")
        assert complaint.anonymous is (int(number) % 2 == 1)


async def test_two_messages_from_one_sender_at_the_same_moment_are_taken_in_turn(runtime: Runtime) -> None:
    _index_texts(runtime)
    transport = httpx.ASGITransport(app=create_app(runtime=runtime))
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", headers=REST_HEADERS
    ) as client:
        send = _keys_of(client, "pair")
        answers = Answers(
            description="sampah menumpuk di pinggir jalan dekat pasar Sleman",
            location="dekat Pasar Sleman, Kabupaten Sleman",
        )
        seen: list[object] = []
        keys = await send(answers.description)  # type: ignore[operator]
        while keys[-1] != "ask_identity":
            answer = answers.for_key(keys[-1])
            assert answer is not None, (keys, seen)
            seen.append(keys)
            keys = await send(answer)  # type: ignore[operator]
        both = await asyncio.gather(send("Anonim"), send("Publik"))  # type: ignore[operator]
        assert sorted(both, key=len) == [["summary"], ["retry_choice", "summary"]]
        assert await send("kirim") == ["submitted"]  # type: ignore[operator]
    async with runtime.sessions() as session:
        complaint = await session.scalar(select(Complaint))
        assert complaint is not None
        texts = (
            await session.scalars(
                select(Message.text).where(
                    Message.conversation_id == complaint.conversation_id, Message.direction == "in"
                )
            )
        ).all()
    assert "Anonim" in texts and "Publik" in texts


def _index_texts(runtime: Runtime) -> None:
    """Recognise a reply's text key from its first line (Rasa's format has no key)."""
    if PATTERNS:
        return
    for language in ("id", "en"):
        for key in sorted(runtime.texts.keys(language)):
            first = runtime.texts.get(key, language).text.split("\n")[0]
            parts = re.split(r"\{[a-z_]+\}", first)
            PATTERNS.append((re.compile(".*?".join(re.escape(p) for p in parts), re.S), key))
