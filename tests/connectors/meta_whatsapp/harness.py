"""A whole bot wired to the fake Graph API, on a real database and state store.

The bot is built by ``build_runtime`` from ``LAPOR_META_*`` environment variables
exactly as in production (the channel reads them itself) and driven through
``/webhooks/meta/whatsapp`` with payloads Meta would sign; what it sends is read
back from the fake. Each inbound message carries the runtime clock's time as its
``timestamp``, so the 24-hour window is measured on the clock the tests move.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

import tests.support as support
from bot.http.app import create_app
from bot.officers.actions import change_status
from bot.officers.auth import SYSTEM
from bot.runtime.process import Runtime, build_runtime
from bot.runtime.settings import load_settings
from connectors.meta_whatsapp.signature import SIGNATURE_HEADER
from storage.models import Attachment, Complaint, InboundSeen, Message, OutboxMessage, Reporter
from tests.support import Clock
from tests.support.fakes.meta_graph import (
    APP_SECRET,
    DISPLAY_NUMBER,
    VERIFY_TOKEN,
    WABA_ID,
    FakeMetaGraph,
    SentMessage,
    new_wamid,
)

PUBLIC_URL = "http://testserver"
WEBHOOK = "/webhooks/meta/whatsapp"
STATUS_TEMPLATE = {"name": "lapor_status_update", "language": "id"}
Json = dict[str, Any]


def meta_environment(graph: FakeMetaGraph) -> dict[str, str]:
    """``LAPOR_META_*`` for the fake Graph API."""
    return {
        "LAPOR_META_TOKEN": graph.token,
        "LAPOR_META_APP_SECRET": graph.app_secret,
        "LAPOR_META_VERIFY_TOKEN": VERIFY_TOKEN,
        "LAPOR_META_PHONE_NUMBER_ID": graph.phone_number_id,
        "LAPOR_META_GRAPH_URL": graph.url,
        "LAPOR_META_TEMPLATES": json.dumps({"status_update": STATUS_TEMPLATE}),
    }


def envelope(value: Json) -> Json:
    """A ``messages`` change as Meta batches it."""
    change = {"field": "messages", "value": {"messaging_product": "whatsapp", **value}}
    return {"object": "whatsapp_business_account", "entry": [{"id": WABA_ID, "changes": [change]}]}


@dataclass
class MetaBot:
    """The bot under test, its HTTP client, and the fake Graph API it talks to."""

    runtime: Runtime
    client: httpx.AsyncClient
    graph: FakeMetaGraph
    clock: Clock

    def metadata(self) -> Json:
        return {"display_phone_number": DISPLAY_NUMBER, "phone_number_id": self.graph.phone_number_id}

    async def deliver(self, payload: Json | bytes, *, signature: str | None = "") -> httpx.Response:
        """Meta POSTs ``payload`` (signed unless told otherwise); wait for the sends it caused."""
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        headers = {"Content-Type": "application/json", "User-Agent": "facebookexternalua"}
        if signature is not None:
            headers[SIGNATURE_HEADER] = signature or self.graph.signature(body, APP_SECRET)
        response = await self.client.post(WEBHOOK, content=body, headers=headers)
        await self.runtime.dispatcher.drain()
        return response

    async def status(self, message_id: str, status: str, error_code: int | None = None) -> int:
        """Meta's status webhook for a message we sent; the HTTP status of our answer."""
        payload = self.graph.status_payload(message_id, status, error_code)
        return (await self.deliver(payload)).status_code

    async def change_status(self, ticket: str, status: str) -> None:
        """An officer moves ``ticket`` on, through the officers' own action; its push is sent."""
        await change_status(self.runtime, SYSTEM, ticket, status)
        await self.runtime.dispatcher.drain()

    async def rows(self, model: Any) -> list[Any]:
        async with self.runtime.sessions() as session:
            return list((await session.scalars(select(model).order_by(model.id))).all())

    async def outbox(self) -> list[OutboxMessage]:
        rows: list[OutboxMessage] = await self.rows(OutboxMessage)
        return rows

    async def row(self, row_id: int) -> OutboxMessage:
        [found] = [r for r in await self.outbox() if r.id == row_id]
        return found

    async def complaints(self) -> list[Complaint]:
        found: list[Complaint] = await self.rows(Complaint)
        return found

    async def attachments(self) -> list[Attachment]:
        found: list[Attachment] = await self.rows(Attachment)
        return found

    async def reporter(self, address: str) -> Reporter | None:
        async with self.runtime.sessions() as session:
            return await session.scalar(select(Reporter).where(Reporter.address == address))

    async def counts(self) -> dict[str, int]:
        """How many rows each table a webhook may write holds."""
        async with self.runtime.sessions() as session:
            counts = {}
            for model in (InboundSeen, Reporter, Message, OutboxMessage, Complaint, Attachment):
                counts[model.__tablename__] = len((await session.scalars(select(model))).all())
            return counts


@dataclass(frozen=True)
class Turn:
    """What the bot answered one message with: the Graph API sends and the reply keys."""

    messages: list[SentMessage]
    keys: list[str]

    @property
    def text(self) -> str:
        return "\n".join(body_text(m) for m in self.messages)

    def choices(self) -> dict[str, str]:
        """Title -> id of every reply button and list row offered."""
        return {offer.title: offer.id for m in self.messages for offer in offered(m)}


@dataclass
class MetaCitizen:
    """A citizen on WhatsApp, ``wa_id`` digits (``6281...``), named ``name`` in their profile."""

    bot: MetaBot
    wa_id: str
    name: str = "Budi Santoso"
    wamids: list[str] = field(default_factory=list)

    @property
    def address(self) -> str:
        return f"whatsapp:+{self.wa_id}"

    def message(self, kind: str, content: Json, *, wamid: str | None = None) -> Json:
        """One inbound message of type ``kind``, stamped with the runtime clock."""
        message = {
            "from": self.wa_id,
            "id": wamid or new_wamid(),
            "timestamp": str(int(self.bot.clock().timestamp())),
            "type": kind,
            kind: content,
        }
        return envelope(
            {
                "metadata": self.bot.metadata(),
                "contacts": [{"profile": {"name": self.name}, "wa_id": self.wa_id}],
                "messages": [message],
            }
        )

    def text_payload(self, body: str, *, wamid: str | None = None) -> Json:
        return self.message("text", {"body": body}, wamid=wamid)

    async def send(self, payload: Json) -> Turn:
        """Deliver ``payload`` signed; what the bot then sent to this citizen."""
        self.wamids.append(payload["entry"][0]["changes"][0]["value"]["messages"][0]["id"])
        sent_before = len(self.bot.graph.messages)
        rows_before = {r.id for r in await self.bot.outbox()}
        response = await self.bot.deliver(payload)
        assert response.status_code == 200, response.text
        messages = [m for m in self.bot.graph.messages[sent_before:] if m.to == self.wa_id]
        rows = [r for r in await self.bot.outbox() if r.id not in rows_before and r.address == self.address]
        return Turn(messages, [str(r.payload.get("key", "")) for r in rows])

    async def says(self, body: str) -> Turn:
        return await self.send(self.text_payload(body))

    async def taps(self, turn: Turn, title: str) -> Turn:
        """Tap the reply button or list row titled ``title`` (a cut row title: its full
        text) that ``turn`` offered; WhatsApp sends back the id the bot gave it."""
        [choice] = [c for m in turn.messages for c in offered(m) if title in (c.title, c.full_title)]
        reply = {"type": choice.reply_type, choice.reply_type: {"id": choice.id, "title": choice.title}}
        return await self.send(self.message("interactive", reply))

    async def shares_image(self, media_id: str, caption: str = "") -> Turn:
        image: Json = {"mime_type": "image/jpeg", "sha256": "fake", "id": media_id}
        if caption:
            image["caption"] = caption
        return await self.send(self.message("image", image))


def body_text(message: SentMessage) -> str:
    """The text a citizen reads in one message (an interactive's body, a template's name)."""
    body = message.body
    if body["type"] == "text":
        return str(body["text"]["body"])
    if body["type"] == "interactive":
        return str(body["interactive"]["body"]["text"])
    return f"[{body['type']}]"


@dataclass(frozen=True)
class Offer:
    """A reply button or list row: what the citizen reads, and the id WhatsApp sends back."""

    title: str
    id: str
    reply_type: str  # button_reply | list_reply
    full_title: str  # a list row's description holds a title too long for the row


def offered(message: SentMessage) -> list[Offer]:
    """The reply buttons or list rows in ``message``."""
    if message.body["type"] != "interactive":
        return []
    interactive = message.body["interactive"]
    action = interactive["action"]
    if interactive["type"] == "button":
        replies = [b["reply"] for b in action["buttons"]]
        return [Offer(r["title"], r["id"], "button_reply", r["title"]) for r in replies]
    if interactive["type"] == "list":
        rows = [r for section in action["sections"] for r in section["rows"]]
        return [Offer(r["title"], r["id"], "list_reply", r.get("description", r["title"])) for r in rows]
    return []


# -- fixtures (imported by the test module) ------------------------------------


state_kind = support.state_kind
state_settings = support.state_settings


@pytest.fixture
def clock() -> Clock:
    return Clock(support.START)


@pytest.fixture
def meta_env(meta_graph: FakeMetaGraph, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The Meta channel turned on for the fake, as a deployment sets it."""
    environment = meta_environment(meta_graph)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return environment


@pytest.fixture
async def meta_bot(
    database_url: str,
    clock: Clock,
    meta_graph: FakeMetaGraph,
    meta_env: dict[str, str],
    state_settings: dict[str, Any],
    tmp_path: Path,
) -> AsyncIterator[MetaBot]:
    settings = load_settings(
        database_url=database_url,
        public_url=PUBLIC_URL,
        **{"state_path": tmp_path / "state.sqlite3", **state_settings},
    )
    runtime = await build_runtime(settings, clock=clock, migrate=False)
    transport = httpx.ASGITransport(app=create_app(runtime=runtime))
    try:
        async with httpx.AsyncClient(transport=transport, base_url=PUBLIC_URL) as client:
            yield MetaBot(runtime, client, meta_graph, clock)
    finally:
        await runtime.close()
