"""Hostile or broken input gets a polite answer, and nothing half-stored."""

from __future__ import annotations

import json

import httpx
import pytest
from sqlalchemy import func, select

from bot.http.app import create_app
from bot.runtime.process import Runtime
from storage.models import Complaint, Message
from tests.support import REST_HEADERS
from tests.support.citizen import Citizen

DESCRIPTION = "sampah menumpuk di pinggir jalan dekat pasar sudah tiga hari"


async def _mid_dialogue(citizen: Citizen) -> None:
    await citizen.says("halo")
    await citizen.says("setuju")
    assert await citizen.keys(DESCRIPTION) != []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "empty_message"),
        ("   \u200b\u200f ", "empty_message"),
        ("x" * 50_000, "too_long"),
    ],
)
async def test_unusable_text_gets_a_polite_answer_and_the_question_again(
    runtime: Runtime, text: str, expected: str
) -> None:
    citizen = Citizen(runtime, "rest:bad")
    await _mid_dialogue(citizen)
    before = await runtime.state.get("conv:rest:bad")
    keys = await citizen.keys(text)
    assert keys[0] == expected
    assert len(keys) == 2, "the pending question is asked again"
    after = await runtime.state.get("conv:rest:bad")
    assert before is not None and after is not None
    assert after["slots"] == before["slots"]
    assert after["awaiting"] == before["awaiting"]


@pytest.mark.parametrize(
    "text",
    [
        "jalan\x00 rusak parah di depan kantor desa kami",
        "jalan \u202erusak\u202c parah di depan kantor desa kami",
        "'; DROP TABLE complaints; -- jalan rusak parah di desa",
        "<script>alert(1)</script> jalan rusak parah di depan kantor desa",
        "jalan rusak parah di depan kantor desa \udcff\udcfe kami",
    ],
)
async def test_hostile_text_is_kept_as_text(runtime: Runtime, text: str) -> None:
    citizen = Citizen(runtime, "rest:hostile")
    await citizen.says("halo")
    await citizen.says("setuju")
    await citizen.says(text)
    state = await runtime.state.get("conv:rest:hostile")
    assert state is not None
    description = state["slots"].get("description", "")
    assert "\x00" not in description and "\u202e" not in description
    assert "jalan" in description
    async with runtime.sessions() as session:
        stored = (await session.scalars(select(Message.text).where(Message.direction == "in"))).all()
    assert all("\x00" not in t for t in stored)
    assert len(stored) == 2


async def test_only_emoji_is_not_understood_politely(runtime: Runtime) -> None:
    citizen = Citizen(runtime, "rest:emoji")
    await citizen.says("halo")
    keys = await citizen.keys("setuju")
    assert keys == ["ask_description"]
    keys = await citizen.keys("😡😡😡")
    assert keys == ["retry_description"]


@pytest.fixture
async def client(runtime: Runtime) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=create_app(runtime=runtime))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver", headers=REST_HEADERS)


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"not json", 400),
        (b'{"message": "hi"}', 400),
        (b'{"sender": "", "message": "hi"}', 400),
        (b'{"sender": 5, "message": "hi"}', 400),
        (b"\xff\xfe{", 400),
        (json.dumps({"sender": "a", "message": "x" * 300_000}).encode(), 413),
    ],
)
async def test_rest_channel_rejects_malformed_requests_clearly(
    client: httpx.AsyncClient, runtime: Runtime, body: bytes, status: int
) -> None:
    response = await client.post("/webhooks/rest/webhook", content=body)
    assert response.status_code == status
    assert "error" in response.json()
    async with runtime.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Message)) == 0
        assert await session.scalar(select(func.count()).select_from(Complaint)) == 0


async def test_rest_channel_speaks_rasa(client: httpx.AsyncClient) -> None:
    response = await client.post("/webhooks/rest/webhook", json={"sender": "budi", "message": "halo"})
    assert response.status_code == 200
    [reply] = response.json()
    assert reply["recipient_id"] == "budi"
    assert "SP4N-LAPOR!" in reply["text"]
    assert [b["payload"] for b in reply["buttons"]] == ["agree", "disagree"]


async def test_health_checks_database_and_state(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "state": "ok"}
