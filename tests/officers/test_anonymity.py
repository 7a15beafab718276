"""Anonymity: an anonymous reporter's name, phone and address appear in no response, page or log line."""

from __future__ import annotations

import logging
import re

import httpx
import pytest

from bot.runtime.process import Runtime
from tests.support.officers import bearer, file_by_chat, officer, say

NAME = "Siti Rahmawati Kusumadewi"
PHONE = "+6281298765432"
ADDRESS = "rest:siti.kusumadewi.8812"
SECRETS = (NAME, PHONE, PHONE.removeprefix("+"), "081298765432", ADDRESS, ADDRESS.removeprefix("rest:"))
PASSWORD = "kata-sandi-rahasia-1"
DRIVER_LOGGERS = ("aiosqlite", "sqlalchemy", "asyncpg")


async def _login(client: httpx.AsyncClient, email: str) -> None:
    form = await client.get("/dashboard/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert csrf
    response = await client.post(
        "/dashboard/login", data={"email": email, "password": PASSWORD, "csrf": csrf.group(1)}
    )
    assert response.status_code == 303 and response.headers["location"] == "/dashboard/"


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found
    return found.group(1)


async def test_an_anonymous_reporter_is_nowhere(
    client: httpx.AsyncClient, runtime: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    # Database drivers echo SQL parameters at DEBUG (all of a reporter's row); they are
    # pinned at WARNING, as bot.core.logs.configure must pin them in production.
    for driver in DRIVER_LOGGERS:
        caplog.set_level(logging.WARNING, logger=driver)
    caplog.set_level(logging.DEBUG)  # last: this also opens the capturing handler to DEBUG
    email = "root@lapor.go.id"
    token = await officer(runtime, email, role="admin", password=PASSWORD, identity_access=True)
    h = bearer(token)
    ticket = await file_by_chat(runtime, ADDRESS, identity="anonymous", display_name=NAME, phone=PHONE)
    seen: list[str] = []

    async def get(url: str, **kwargs: object) -> httpx.Response:
        response = await client.get(url, **kwargs)  # type: ignore[arg-type]
        seen.append(f"{url} {response.status_code} {response.headers} {response.text}")
        return response

    async def post(url: str, **kwargs: object) -> httpx.Response:
        response = await client.post(url, **kwargs)  # type: ignore[arg-type]
        seen.append(f"{url} {response.status_code} {response.headers} {response.text}")
        return response

    await post(f"/api/v1/complaints/{ticket}/request-info", json={"question": "Sejak kapan?"}, headers=h)
    await runtime.dispatcher.drain()
    await say(runtime, ADDRESS, "Sejak dua minggu lalu")
    await post(f"/api/v1/complaints/{ticket}/status", json={"status": "resolved"}, headers=h)
    await runtime.dispatcher.drain()
    for url in (
        "/me",
        "/agencies",
        "/complaints",
        "/complaints.csv",
        "/stats",
        "/notifications",
        "/outbox/failures",
    ):
        assert (await get(f"/api/v1{url}", headers=h)).status_code == 200
    assert (await get(f"/api/v1/complaints/{ticket}", headers=h)).json()["reporter"] is None
    assert (await get(f"/api/v1/complaints/{ticket}/reporter", headers=h)).status_code == 404
    assert (await get(f"/api/v1/complaints?q={NAME.split(maxsplit=1)[0]}", headers=h)).json()["total"] == 0
    await _login(client, email)
    for url in ("/dashboard/", "/dashboard/notifications", "/dashboard/failures"):
        assert (await get(url)).status_code == 200
    page = await get(f"/dashboard/complaints/{ticket}")
    assert page.status_code == 200 and "Anonim" in page.text
    refused = await post(f"/dashboard/complaints/{ticket}/identity", data={"csrf": _csrf(page.text)})
    assert refused.status_code == 404

    logs = [r.getMessage() + " " + repr(vars(r)) for r in caplog.records]
    assert len(seen) > 15
    # The log lines about this very complaint were captured, so the search below means something.
    assert any("complaint filed" in line for line in logs)
    assert any("complaint changed" in line for line in logs)
    for secret in SECRETS:
        for text in seen:
            assert secret not in text, (secret, text[:300])
        for line in logs:
            assert secret not in line, (secret, line[:300])
