"""A whole bot wired to the fake Twilio API, on a real database and state store.

The bot is built from ``LAPOR_TWILIO_*`` settings exactly as in production and
driven through its webhooks with requests Twilio would sign; what it sends is
read back from the fake. The runtime's clock starts at the real time (the
Twilio connectors stamp inbound messages with it, and the WhatsApp window is
measured from that stamp) and the tests move it forward.

Shared by ``tests/sms_e2e`` and ``tests/whatsapp_e2e`` (their conftests import
the fixtures).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

import tests.support as support
from bot.http.app import create_app
from bot.officers.pushes import enqueue_push, for_status
from bot.runtime.process import Runtime, build_runtime
from bot.runtime.settings import load_settings
from storage.models import Attachment, Complaint, InboundSeen, Message, OutboxMessage, Reporter
from tests.support import Clock, each_state_store  # noqa: F401  # each_state_store: for the tests
from tests.support.fakes import twilio_api as fake_twilio
from tests.support.fakes.twilio_api import FakeTwilioApi, SentMessage, new_sid, recorded_form

PUBLIC_URL = "http://testserver"
SMS_FROM = "+14155550100"
WHATSAPP_FROM = "+14155238886"
STATUS_TEMPLATE_SID = "HX" + "b2" * 16


@dataclass
class PhoneBot:
    """The bot under test, its webhook client, and the fake Twilio it talks to."""

    runtime: Runtime
    client: httpx.AsyncClient
    twilio: FakeTwilioApi
    clock: Clock

    async def post(
        self, path: str, params: Mapping[str, str], *, signature: str | None = ""
    ) -> httpx.Response:
        """Twilio posts ``params`` to ``/webhooks/{path}``; wait for the sends it caused."""
        request = self.twilio.webhook(f"{PUBLIC_URL}/webhooks/{path}", params, signature=signature)
        response = await self.client.post(f"/webhooks/{path}", content=request.body, headers=request.headers)
        await self.runtime.dispatcher.drain()
        return response

    async def status(self, message: SentMessage, status: str, error_code: int | None = None) -> int:
        """Twilio's status callback for ``message``; the HTTP status of our answer."""
        form = self.twilio.status_callback(message, status, error_code)
        return (await self.post("twilio/status", form)).status_code

    async def push(self, ticket: str, status: str = "verified", *, send: bool = True) -> int | None:
        """An officer moves ``ticket`` to ``status``: the push is queued as officers' code does."""
        async with self.runtime.sessions() as session:
            complaint = await session.scalar(select(Complaint).where(Complaint.ticket == ticket))
            assert complaint is not None
            complaint.status = status
            reporter = await session.get(Reporter, complaint.reporter_id)
            assert reporter is not None
            push = for_status(status, None)
            row = enqueue_push(
                session, self.runtime.texts, reporter, complaint, None, push, self.clock(), None
            )
            await session.flush()
            row_id = row.id if row is not None else None
            await session.commit()
        if row_id is not None and send:
            await self.runtime.dispatcher.send_ids([row_id])
        return row_id

    async def rows(self, model: Any) -> list[Any]:
        async with self.runtime.sessions() as session:
            return list((await session.scalars(select(model).order_by(model.id))).all())

    async def outbox(self) -> list[OutboxMessage]:
        rows: list[OutboxMessage] = await self.rows(OutboxMessage)
        return rows

    async def reporter(self, address: str) -> Reporter | None:
        async with self.runtime.sessions() as session:
            return await session.scalar(select(Reporter).where(Reporter.address == address))

    async def complaints(self) -> list[Complaint]:
        found: list[Complaint] = await self.rows(Complaint)
        return found

    async def attachments(self) -> list[Attachment]:
        found: list[Attachment] = await self.rows(Attachment)
        return found

    async def counts(self) -> dict[str, int]:
        """How many rows each table a webhook may write holds."""
        async with self.runtime.sessions() as session:
            counts = {}
            for model in (InboundSeen, Reporter, Message, OutboxMessage, Complaint):
                counts[model.__tablename__] = len((await session.scalars(select(model))).all())
            return counts


@dataclass
class PhoneCitizen:
    """A citizen texting the bot by SMS (``tel:``) or WhatsApp from ``number``."""

    bot: PhoneBot
    number: str
    whatsapp: bool = False
    sids: list[str] = field(default_factory=list)

    @property
    def address(self) -> str:
        return f"{'whatsapp' if self.whatsapp else 'tel'}:{self.number}"

    @property
    def twilio_address(self) -> str:
        """How Twilio writes this citizen in ``From`` and ``To``."""
        return f"whatsapp:{self.number}" if self.whatsapp else self.number

    def form(self, body: str, **extra: str) -> dict[str, str]:
        """An inbound-message webhook from this citizen, shaped like a recorded one."""
        form = recorded_form("whatsapp_text" if self.whatsapp else "inbound_sms")
        sid = extra.pop("MessageSid", None) or new_sid("MM" if "NumMedia" in extra else "SM")
        form.update(
            {
                "MessageSid": sid,
                "SmsMessageSid": sid,
                "SmsSid": sid,
                "Body": body,
                "From": self.twilio_address,
            }
        )
        if self.whatsapp:
            form.update({"To": f"whatsapp:{WHATSAPP_FROM}", "WaId": self.number.lstrip("+")})
        else:
            form["To"] = SMS_FROM
        form.update(extra)
        return form

    async def says(self, body: str = "", **extra: str) -> list[SentMessage]:
        """Send a message; the messages the bot then sent back to this citizen."""
        form = self.form(body, **extra)
        self.sids.append(form["MessageSid"])
        before = len(self.bot.twilio.messages)
        path = "twilio/whatsapp" if self.whatsapp else "twilio/sms"
        response = await self.bot.post(path, form)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("text/xml")
        return [m for m in self.bot.twilio.messages[before:] if m.to == self.twilio_address]

    async def texts(self, body: str = "", **extra: str) -> list[str]:
        return [m.body or "" for m in await self.says(body, **extra)]


# -- fixtures (imported by the conftests) -------------------------------------


twilio_server = fake_twilio.twilio_server  # fixtures: the fake Twilio API
twilio_api = fake_twilio.twilio_api
state_kind = support.state_kind  # fixtures: the state store each test runs on
state_settings = support.state_settings


@pytest.fixture
def clock() -> Clock:
    """Starts at the real time: the WhatsApp window is measured from the inbound stamp."""
    return Clock(datetime.now(UTC).replace(microsecond=0))


def twilio_settings(twilio: FakeTwilioApi) -> dict[str, Any]:
    """``LAPOR_TWILIO_*`` for the fake: SMS and WhatsApp senders, one template."""
    return {
        "twilio_account_sid": twilio.account_sid,
        "twilio_auth_token": twilio.auth_token,
        "twilio_sms_from": SMS_FROM,
        "twilio_whatsapp_from": WHATSAPP_FROM,
        "twilio_api_url": twilio.base_url,
        "twilio_whatsapp_templates": {"status_update": STATUS_TEMPLATE_SID},
        "public_url": PUBLIC_URL,
    }


@pytest.fixture
async def phone_bot(
    database_url: str,
    tmp_path: Path,
    clock: Clock,
    twilio_api: FakeTwilioApi,
    state_settings: dict[str, Any],
) -> AsyncIterator[PhoneBot]:
    settings = load_settings(
        database_url=database_url,
        **{"state_path": tmp_path / "state.sqlite3", **state_settings},
        **twilio_settings(twilio_api),
    )
    runtime = await build_runtime(settings, clock=clock, migrate=False)
    transport = httpx.ASGITransport(app=create_app(runtime=runtime))
    try:
        async with httpx.AsyncClient(transport=transport, base_url=PUBLIC_URL) as client:
            yield PhoneBot(runtime, client, twilio_api, clock)
    finally:
        await runtime.close()


COMPLAINT = "saya mau menyampaikan bahwa banyak sampah menumpuk dan berbau"


async def file_complaint(citizen: PhoneCitizen) -> str:
    """Run a short complaint dialogue to the end; the new complaint's ticket."""
    before = {c.ticket for c in await citizen.bot.complaints()}
    answers = ["halo", "1", COMPLAINT, "Jl. Kaliurang km 5, Sleman", "kemarin"]
    answers += ["1"] if citizen.whatsapp else []  # the photo question: 1. Lewati
    for answer in [*answers, "1", "1"]:  # public, then send
        await citizen.says(answer)
    [ticket] = {c.ticket for c in await citizen.bot.complaints()} - before
    return ticket
