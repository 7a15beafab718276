"""Redis killed by PID and restarted empty: polite answers, drafts found again, nothing lost."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bot.runtime.process import Runtime
from connectors.base import WebhookRequest, WebhookResponse
from connectors.messages import Inbound, Outbound, Receipt, SendOutcome, SendResult
from storage.models import Complaint
from tests.faults.conftest import ClientFactory
from tests.faults.servers import OwnRedis
from tests.intake.test_concurrency import _index_texts, _key
from tests.support.autopilot import Answers, file_complaint

CITIZENS = 32
TICKET = re.compile(r"LPR-[0-9A-Z]{8}")
REST = "/webhooks/rest/webhook"

pytestmark = pytest.mark.postgres


async def _post(client: httpx.AsyncClient, sender: str, text: str) -> list[str]:
    response = await client.post(REST, json={"sender": sender, "message": text})
    assert response.status_code == 200, f"a citizen saw HTTP {response.status_code}: {response.text}"
    return [item["text"] for item in response.json()]


async def test_with_redis_down_a_citizen_gets_an_apology_not_a_500(
    make_runtime: Callable[..., Awaitable[Runtime]],
    on_own_redis: dict[str, Any],
    own_redis: OwnRedis,
    http_client: ClientFactory,
) -> None:
    runtime = await make_runtime(**on_own_redis)
    own_redis.kill()
    async with http_client(runtime) as client:
        texts = await _post(client, "ani", "halo")
    assert texts == [runtime.texts.render("service_fault", "id")]


async def test_a_draft_lost_with_redis_is_offered_back(
    make_runtime: Callable[..., Awaitable[Runtime]],
    on_own_redis: dict[str, Any],
    own_redis: OwnRedis,
    http_client: ClientFactory,
) -> None:
    runtime = await make_runtime(**on_own_redis)
    _index_texts(runtime)
    async with http_client(runtime) as client:

        async def keys(text: str) -> list[str]:
            return [_key(t) for t in await _post(client, "budi", text)]

        await keys("halo")
        await keys("setuju")
        assert await keys("sampah menumpuk di pinggir jalan dekat pasar sudah tiga hari") == ["ask_location"]
        own_redis.kill()
        own_redis.start()  # empty: --save "" --appendonly no
        assert await keys("Jl. Pasar Baru no 5, Kabupaten Sleman") == ["draft_lost"], "not greeted as new"
        assert await keys("1") == ["draft_restored", "ask_location"]
        await file_complaint(keys, Answers(description="-", location="Jl. Pasar Baru no 5, Kabupaten Sleman"))
    async with runtime.sessions() as session:
        complaint = await session.scalar(select(Complaint))
    assert complaint is not None and "sampah menumpuk" in complaint.description


class Outage:
    """Kills Redis once the dialogues are under way; restarts it once a citizen felt it."""

    def __init__(self, redis: OwnRedis, kill_after: int) -> None:
        self.redis, self.kill_after = redis, kill_after
        self.turns = 0
        self.half_way, self.felt, self.back = asyncio.Event(), asyncio.Event(), asyncio.Event()
        self.apologies = 0

    def turn(self) -> None:
        self.turns += 1
        if self.turns == self.kill_after:
            self.half_way.set()

    async def run(self) -> None:
        await self.half_way.wait()
        self.redis.kill()
        await self.felt.wait()
        self.redis.start()
        self.back.set()


def _citizen(client: httpx.AsyncClient, sender: str, outage: Outage, tickets: list[str]) -> Any:
    async def send(text: str) -> list[str]:
        while True:
            outage.turn()
            texts = await _post(client, sender, text)
            keys = [_key(t) for t in texts]
            if "submitted" in keys:
                tickets.extend(sorted({t for line in texts for t in TICKET.findall(line)}))
            if keys == ["service_fault"]:  # told to try again: they do, once it is back
                outage.apologies += 1
                outage.felt.set()
                await outage.back.wait()
                continue
            if keys == ["draft_lost"]:
                text = "1"  # continue from what the transcript holds
                continue
            return [k for k in keys if k not in {"draft_restored", "welcome_back"}]

    return send


@pytest.mark.slow
async def test_redis_killed_among_32_dialogues(
    make_runtime: Callable[..., Awaitable[Runtime]],
    on_own_redis: dict[str, Any],
    own_redis: OwnRedis,
    http_client: ClientFactory,
) -> None:
    runtime = await make_runtime(**on_own_redis)
    _index_texts(runtime)
    outage = Outage(own_redis, kill_after=CITIZENS * 3)
    tickets: list[str] = []
    async with http_client(runtime) as client:
        runs = [
            file_complaint(
                _citizen(client, f"warga{i}", outage, tickets),
                Answers(
                    description=f"jalan berlubang besar nomor {i} di depan pasar desa",
                    location=f"Jl. Warga {i}, Kabupaten Sleman",
                ),
            )
            for i in range(CITIZENS)
        ]
        await asyncio.gather(outage.run(), *runs)
    async with runtime.sessions() as session:
        complaints = (
            await session.scalars(select(Complaint).options(selectinload(Complaint.reporter)))
        ).all()
    assert outage.apologies > 0, "the outage was felt"
    assert len(complaints) == CITIZENS, "one complaint per citizen: none lost, none doubled"
    assert sorted(c.ticket for c in complaints) == sorted(tickets), "every ticket shown was filed"
    for complaint in complaints:
        number = complaint.reporter.address.removeprefix("rest:warga")
        assert f"nomor {number} " in complaint.description


class WebhookChannel:
    """A provider that posts one message as plain text and retries on any non-2xx."""

    name = "hook"
    schemes: tuple[str, ...] = ("hook",)

    def parse(self, request: WebhookRequest) -> list[Inbound | Receipt]:
        import datetime as dt

        now = dt.datetime.now(dt.UTC)
        return [Inbound(address="hook:1", text=request.body.decode(), external_id="m1", received_at=now)]

    def acknowledge(self, items: list[Inbound | Receipt]) -> WebhookResponse:
        return WebhookResponse()

    async def send(self, outbound: Outbound) -> SendResult:
        return SendResult(SendOutcome.SENT, ("x",))

    async def aclose(self) -> None:
        return None


async def test_a_provider_webhook_gets_503_while_redis_is_down_then_is_served_once(
    make_runtime: Callable[..., Awaitable[Runtime]],
    on_own_redis: dict[str, Any],
    own_redis: OwnRedis,
    http_client: ClientFactory,
) -> None:
    runtime = await make_runtime(**on_own_redis)
    runtime.channels.add(WebhookChannel(), "hook")
    async with http_client(runtime) as client:
        own_redis.kill()
        down = await client.post("/webhooks/hook", content=b"halo")
        own_redis.start()
        again = await client.post("/webhooks/hook", content=b"halo")
        twice = await client.post("/webhooks/hook", content=b"halo")
    assert (down.status_code, down.headers.get("retry-after")) == (503, "5")
    assert (again.status_code, twice.status_code) == (200, 200)


async def test_with_redis_down_the_web_chat_apologises_then_carries_on(
    make_runtime: Callable[..., Awaitable[Runtime]],
    on_own_redis: dict[str, Any],
    own_redis: OwnRedis,
    http_client: ClientFactory,
) -> None:
    runtime = await make_runtime(**on_own_redis)
    headers = {"Origin": "http://testserver", "Content-Type": "application/json"}
    async with http_client(runtime) as client:
        assert (await client.get("/chat")).status_code == 200  # the conversation cookie
        own_redis.kill()
        down = await client.post("/chat/send", json={"text": "halo", "id": "m-000001"}, headers=headers)
        own_redis.start()
        again = await client.post("/chat/send", json={"text": "halo", "id": "m-000001"}, headers=headers)
    assert down.status_code == 200
    assert [r["key"] for r in down.json()["replies"]] == ["service_fault"]
    assert [r["key"] for r in again.json()["replies"]] == ["consent"], (
        "the retry is processed, not a duplicate"
    )
