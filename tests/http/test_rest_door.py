"""The REST channel in production: a bearer token, or off; open only in a demo."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from bot.cli.main import app
from bot.http.app import create_app
from bot.runtime.process import Runtime
from bot.runtime.settings import SettingsError, load_settings
from storage.models import Message
from tests.support import REST_HEADERS, REST_TOKEN
from tests.support.citizen import RuntimeFactory

VICTIM = {"sender": "victim-0812", "message": "halo"}


@pytest.fixture
def state_settings(tmp_path: Path) -> dict[str, Any]:
    """The door does not depend on the state store: the embedded one only."""
    return {"state_path": tmp_path / "state.sqlite3"}


async def _client(runtime: Runtime) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(runtime=runtime)), base_url="http://t"
    )


@pytest.fixture
async def served(make_runtime: RuntimeFactory) -> AsyncIterator[tuple[Runtime, httpx.AsyncClient]]:
    """``lapor serve`` with LAPOR_REST_TOKEN set."""
    runtime = await make_runtime(rest_token=REST_TOKEN)
    async with await _client(runtime) as client:
        yield runtime, client


async def _nothing_processed(runtime: Runtime) -> None:
    async with runtime.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Message)) == 0
    assert await runtime.state.get("conv:rest:victim-0812") is None


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer ", f"Basic {REST_TOKEN}", f"Bearer {REST_TOKEN[:-1]}",
     f"Bearer {REST_TOKEN}x", "Bearer " + "0" * len(REST_TOKEN)],
)  # fmt: skip
async def test_without_the_right_bearer_token_nothing_is_processed(
    served: tuple[Runtime, httpx.AsyncClient], authorization: str | None
) -> None:
    runtime, client = served
    headers = {"Authorization": authorization} if authorization is not None else {}
    response = await client.post("/webhooks/rest/webhook", json=VICTIM, headers=headers)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/json"
    assert "token" in response.json()["error"]
    assert response.headers["www-authenticate"].startswith("Bearer")
    await _nothing_processed(runtime)


async def test_with_the_bearer_token_the_citizen_is_answered(
    served: tuple[Runtime, httpx.AsyncClient],
) -> None:
    runtime, client = served
    response = await client.post("/webhooks/rest/webhook", json=VICTIM, headers=REST_HEADERS)
    assert response.status_code == 200
    [reply] = response.json()
    assert reply["recipient_id"] == "victim-0812" and "SP4N-LAPOR!" in reply["text"]
    assert await runtime.state.get("conv:rest:victim-0812") is not None  # rest:<sender>, as before


async def test_the_scheme_is_case_insensitive(served: tuple[Runtime, httpx.AsyncClient]) -> None:
    _, client = served
    headers = {"Authorization": f"bearer {REST_TOKEN}"}
    assert (await client.post("/webhooks/rest/webhook", json=VICTIM, headers=headers)).status_code == 200


async def test_serve_without_a_token_has_no_rest_channel(make_runtime: RuntimeFactory) -> None:
    runtime = await make_runtime(rest_token=None)
    async with await _client(runtime) as client:
        response = await client.post("/webhooks/rest/webhook", json=VICTIM, headers=REST_HEADERS)
    assert response.status_code == 404
    assert "LAPOR_REST_TOKEN" in response.json()["error"]
    await _nothing_processed(runtime)


async def test_the_demo_keeps_the_rest_channel_open(make_runtime: RuntimeFactory) -> None:
    runtime = await make_runtime(rest_token=None, demo=True)
    async with await _client(runtime) as client:
        response = await client.post("/webhooks/rest/webhook", json=VICTIM)
    assert response.status_code == 200
    assert "SP4N-LAPOR!" in response.json()[0]["text"]


def test_a_short_token_is_refused_naming_the_variable() -> None:
    with pytest.raises(SettingsError, match="LAPOR_REST_TOKEN"):
        load_settings(rest_token="x" * 31)
    assert load_settings(rest_token="x" * 32).rest_token == "x" * 32


def test_serve_refuses_to_start_with_a_short_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LAPOR_SECRET_KEY", "k3" * 24)
    monkeypatch.setenv("LAPOR_REST_TOKEN", "too-short")
    result = CliRunner().invoke(app, ["serve"])
    assert result.exit_code != 0
    assert "LAPOR_REST_TOKEN" in str(result.exception) + result.output
