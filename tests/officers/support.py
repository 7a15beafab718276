"""Helpers for the officer tests: a settable clock, accounts, complaints filed by chat."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any

from bot.officers.accounts import add_officer
from bot.officers.auth import hash_password
from bot.runtime.process import Runtime
from connectors.base import WebhookRequest, WebhookResponse
from connectors.messages import Contact, Inbound, Outbound, Receipt, SendOutcome, SendResult
from storage.models import Complaint, Conversation, Reporter, StatusEvent
from storage.tickets import new_ticket

MONDAY = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
REGENCY_NAMES = {
    "34.04": "Kabupaten Sleman",
    "32.73": "Kota Bandung",
    "31.71": "Kota Jakarta Pusat",
}  # 10:00 in Jakarta, an ordinary working Monday


async def officer(
    runtime: Runtime,
    email: str,
    role: str = "officer",
    agency: str | None = None,
    *,
    password: str | None = None,
    identity_access: bool = False,
) -> str:
    """Create an account; its API token."""
    async with runtime.sessions() as session:
        account, token = await add_officer(
            session, email, role, runtime.clock(), agency_code=agency, identity_access=identity_access
        )
        if password:
            account.password_hash = _hashed(password)  # Argon2 is slow on purpose: hash once per run
        await session.commit()
    return token


@cache
def _hashed(password: str) -> str:
    return hash_password(password)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


DESCRIPTION = "Jalan di depan rumah saya di Jl. Kaliurang km 5, Sleman rusak parah dan berlubang besar"


async def say(runtime: Runtime, address: str, text: str, **extra: Any) -> list[Outbound]:
    inbound = Inbound(address=address, text=text, received_at=runtime.clock(), **extra)
    outcome = await runtime.conversations.handle(inbound)
    return outcome.replies


async def file_by_chat(
    runtime: Runtime,
    address: str,
    description: str = DESCRIPTION,
    identity: str = "public",
    *,
    display_name: str | None = None,
    phone: str | None = None,
) -> str:
    """Talk through the complaint form like a citizen; the ticket the bot gives back."""
    contact = Contact(phone=phone, name=display_name, is_own=True) if phone else None
    replies = await say(runtime, address, "halo", display_name=display_name, contact=contact)
    answers = {
        "consent": "agree",
        "ask_description": description,
        "retry_description": description,
        "ask_kind": "complaint",
        "ask_category": "infrastructure",
        "confirm_category": "yes",
        "ask_location": "Jl. Kaliurang km 5, Sleman",
        "retry_location": "Jl. Kaliurang km 5, Sleman",
        "ask_date": "lewati",
        "retry_date": "lewati",
        "ask_photo": "lewati",
        "retry_photo": "lewati",
        "ask_identity": identity,
        "summary": "send",
    }
    for _ in range(20):
        last = replies[-1]
        if last.key == "submitted":
            found = re.search(r"LPR-[0-9A-Z]+", last.text)
            assert found, last.text
            return found.group(0)
        answer = last.choices[0].payload if last.key == "choose_region" else answers[last.key]
        replies = await say(runtime, address, answer, display_name=display_name)
    raise AssertionError(f"the form did not finish: {[r.key for r in replies]}")


_counter = iter(range(1, 1_000_000))


async def insert_complaint(
    runtime: Runtime,
    agency: str | None,
    *,
    status: str = "received",
    category: str = "infrastructure",
    title: str = "Jalan rusak",
    description: str = "Jalan berlubang di depan pasar",
    regency_code: str | None = "34.04",
    created_at: datetime | None = None,
    verify_due: date | None = None,
    followup_due: date | None = None,
    anonymous: bool = False,
    confidential: bool = False,
    address: str | None = None,
    resolved_at: datetime | None = None,
    language: str = "id",
) -> str:
    """A complaint straight in the database (for list and filter tests); its ticket."""
    from sqlalchemy import select

    from storage.models import Agency

    n = next(_counter)
    now = created_at or runtime.clock()
    ticket = new_ticket()
    async with runtime.sessions() as session:
        reporter = Reporter(
            address=address or f"rest:seed-{n}", channel="rest", language=language, created_at=now,
            consented_at=now, last_inbound_at=now,
        )  # fmt: skip
        session.add(reporter)
        await session.flush()
        agency_id = await session.scalar(select(Agency.id).where(Agency.code == agency)) if agency else None
        session.add(Conversation(id=f"c{n:031d}", reporter_id=reporter.id, started_at=now))
        complaint = Complaint(
            ticket=ticket, conversation_id=f"c{n:031d}", reporter_id=reporter.id, agency_id=agency_id,
            kind="complaint", category=category, title=title, description=description,
            description_raw=description.encode(), regency_code=regency_code, status=status,
            regency_name=REGENCY_NAMES.get(regency_code or ""),
            province_code=(regency_code or "")[:2] or None,
            language=language, source_channel="rest", verify_due=verify_due or date(2026, 3, 5),
            forward_due=date(2026, 3, 10), followup_due=followup_due or date(2026, 3, 17),
            anonymous=anonymous, confidential=confidential, resolved_at=resolved_at,
            created_at=now, updated_at=now,
        )  # fmt: skip
        session.add(complaint)
        await session.flush()
        session.add(StatusEvent(complaint_id=complaint.id, at=now, actor="reporter", to_status="received"))
        await session.commit()
    return ticket


@dataclass
class RecordingConnector:
    """A fake of the outside world: records every message it is asked to send."""

    name: str = "fake"
    schemes: tuple[str, ...] = ("fake",)
    sent: list[Outbound] = field(default_factory=list)
    outcome: SendOutcome = SendOutcome.SENT

    def parse(self, request: WebhookRequest) -> list[Inbound | Receipt]:
        return []

    def acknowledge(self, items: list[Inbound | Receipt]) -> WebhookResponse:
        return WebhookResponse()

    async def send(self, outbound: Outbound) -> SendResult:
        self.sent.append(outbound)
        if self.outcome is SendOutcome.SENT:
            return SendResult(SendOutcome.SENT, provider_message_ids=(f"fake-{len(self.sent)}",))
        return SendResult(self.outcome, error="provider said no")

    async def aclose(self) -> None:
        return None


@dataclass
class WindowedConnector(RecordingConnector):
    """A fake WhatsApp-like channel: free-form text only within 24 hours of the citizen's message."""

    name: str = "windowed"
    schemes: tuple[str, ...] = ("whatsapp",)
    window: timedelta = timedelta(hours=24)

    def has_template(self, name: str) -> bool:
        return name == "status_update"
