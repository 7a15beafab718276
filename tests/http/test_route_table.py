"""Every route is listed in docs/security.md with its credential, and refuses callers without one."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from bot.http.app import create_app
from bot.runtime.process import Runtime
from bot.runtime.settings import load_settings
from storage.models import Complaint, Message
from tests.support import REST_TOKEN
from tests.support.citizen import RuntimeFactory
from tests.support.routes import routes_of

SECURITY_MD = Path(__file__).resolve().parents[2] / "docs" / "security.md"
_ROW = re.compile(r"^\| (GET|POST|PUT|PATCH|DELETE) \| `([^`]+)` \| ([^|]+) \| (.+) \|$")


def documented() -> dict[tuple[str, str], str]:
    """(method, path) -> credential, from the table in docs/security.md."""
    rows = (_ROW.match(line) for line in SECURITY_MD.read_text().splitlines())
    return {(m[1], m[2]): m[4] for m in rows if m}


def undocumented(app: FastAPI) -> set[tuple[str, str]]:
    return routes_of(app) - set(documented())


def _both_apps() -> list[FastAPI]:
    return [create_app(load_settings(rest_token=REST_TOKEN)), create_app(load_settings(demo=True))]


def test_every_route_of_the_app_is_listed_with_its_credential() -> None:
    for app in _both_apps():
        assert undocumented(app) == set(), "list these routes in docs/security.md"


def test_every_listed_route_exists() -> None:
    answered = set().union(*(routes_of(app) for app in _both_apps()))
    assert set(documented()) - answered == set(), "stale rows in docs/security.md"


def test_a_new_route_fails_the_check() -> None:
    app = _both_apps()[0]

    @app.get("/api/v1/everything")
    async def everything() -> dict[str, Any]:
        return {}

    assert undocumented(app) == {("GET", "/api/v1/everything")}


@pytest.fixture
def state_settings(tmp_path: Path) -> dict[str, Any]:
    return {"state_path": tmp_path / "state.sqlite3"}


def _concrete(path: str) -> str:
    """A path with its parameters filled in: a real-looking ticket, ids, a provider path."""
    values = {"ticket": "LPR-00000001", "path:path": "kannel", "path": "app.js", "phone": "whatsapp"}
    return re.sub(r"\{([^}]+)\}", lambda m: values.get(m[1], "1"), path)


async def test_no_route_with_a_credential_answers_without_one(make_runtime: RuntimeFactory) -> None:
    runtime: Runtime = await make_runtime(rest_token=REST_TOKEN)
    guarded = {route for route, credential in documented().items() if not credential.startswith("none")}
    app = create_app(runtime=runtime)
    transport = httpx.ASGITransport(app=app)
    answers: dict[tuple[str, str], int] = {}
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        for method, path in sorted(guarded & routes_of(app)):
            body = {"sender": "victim", "message": "halo", "text": "halo", "status": "selesai"}
            response = await client.request(method, _concrete(path), json=body)
            location = response.headers.get("location", "")
            refused = response.status_code in {401, 403, 404} or location.startswith("/dashboard/login")
            answers[(method, path)] = response.status_code
            assert refused, (method, path, response.status_code, response.text[:200])
    assert len(answers) >= 40
    async with runtime.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Message)) == 0
        assert await session.scalar(select(func.count()).select_from(Complaint)) == 0
