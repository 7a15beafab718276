"""Sample complaints for the demo, filed through the real conversation.

A scripted citizen answers whatever the bot asks, by reply key, so the
samples are real records (reporter, transcript, complaint, deadlines) and
stay valid when the NLU pre-fills more or fewer answers.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass

from sqlalchemy import select

from bot.runtime.process import Runtime
from connectors.messages import Inbound
from storage.models import Complaint, Reporter

log = logging.getLogger("lapor.demo")
MAX_TURNS = 20


@dataclass(frozen=True, slots=True)
class Sample:
    """One citizen's complaint, and the statuses an officer has moved it through."""

    description: str
    location: str
    identity: str = "Publik"
    date: str = "lewati"
    statuses: tuple[str, ...] = ()

    def answer(self, key: str) -> str | None:
        return {
            "consent": "setuju",
            "ask_description": self.description,
            "retry_description": self.description,
            "ask_location": self.location,
            "retry_location": self.location,
            "choose_region": "1",
            "confirm_category": "ya",
            "ask_category": "1",
            "ask_kind": "1",
            "ask_date": self.date,
            "retry_date": "lewati",
            "ask_photo": "lewati",
            "retry_photo": "lewati",
            "ask_identity": self.identity,
            "summary": "kirim",
        }.get(key)


SAMPLES = (
    Sample(
        "Lampu penerangan jalan di Jl. Merdeka depan SD Negeri 5 mati sudah seminggu, "
        "malam hari gelap sekali.",
        "Jl. Merdeka no 10, Kota Bandung",
        date="kemarin",
        statuses=("verified", "in_progress"),
    ),
    Sample(
        "Oknum petugas kelurahan meminta uang 200 ribu untuk mengurus surat pindah domisili.",
        "Kantor Kelurahan Tegalsari, Kota Surabaya",
        identity="Rahasia",
    ),
    Sample(
        "Sampah menumpuk di pinggir sungai dekat pasar, baunya menyengat dan sudah berminggu-minggu.",
        "Jl. Kaliurang km 5, Kabupaten Sleman",
        identity="Anonim",
        statuses=("verified",),
    ),
)


async def file_sample(runtime: Runtime, sample: Sample) -> str | None:
    """Chat ``sample`` in on a fresh ``demo:sample-…`` address; its ticket, or None."""
    address = f"demo:sample-{secrets.token_hex(6)}"
    text: str | None = "halo"
    for _ in range(MAX_TURNS):
        if text is None:
            break
        inbound = Inbound(address=address, text=text, received_at=runtime.clock())
        replies = (await runtime.conversations.handle(inbound)).replies
        if not replies:
            break
        if replies[-1].key == "submitted":
            return await ticket_of(runtime, address)
        text = sample.answer(replies[-1].key)
    log.warning("a demo sample was not filed; the dialogue asked something unexpected")
    return None


async def ticket_of(runtime: Runtime, address: str) -> str | None:
    """The newest ticket filed from ``address``."""
    async with runtime.sessions() as session:
        ticket: str | None = await session.scalar(
            select(Complaint.ticket)
            .join(Reporter, Reporter.id == Complaint.reporter_id)
            .where(Reporter.address == address)
            .order_by(Complaint.id.desc())
            .limit(1)
        )
    return ticket
