"""A citizen reports by SMS to the short code through a real Kannel, to a ticket."""

from __future__ import annotations

import functools
import time
from urllib.parse import quote

import anyio
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from connectors.sms import count_segments, is_gsm7
from storage.models import Complaint, Message, OutboxMessage, Reporter
from tests.connectors.kannel.e2e.conftest import SHORT_CODE, AppServer, Sms, sms_out
from tests.support.fakes.kannel_gateway import KannelGateway
from tests.support.fakes.twilio_api import FakeTwilioApi

pytestmark = pytest.mark.kannel
CITIZEN = "+6281234567890"
NATIONAL = "081234567890"  # the same number as the operator may write it


async def exchange(
    gateway: KannelGateway,
    text: str,
    expected: str,
    *,
    kind: str = "text",
    sender: str = CITIZEN,
    timeout: float = 10.0,
) -> Sms:
    """The citizen sends ``text``; the bot's SMS that contains ``expected``."""
    inject = functools.partial(gateway.inject, sender, SHORT_CODE, text, kind=kind)
    smsc = await anyio.to_thread.run_sync(inject)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for sms in sms_out(list(smsc.lines)):
            if expected in sms.text:
                return sms
        await anyio.sleep(0.05)
    raise AssertionError(f"no SMS with {expected!r}; got {sms_out(list(smsc.lines))}")


def assert_fits(sms: Sms) -> None:
    assert (sms.sender, sms.receiver) == (SHORT_CODE, CITIZEN)
    assert is_gsm7(sms.text), sms.text
    assert count_segments(sms.text).count <= 2, sms.text


async def test_a_complaint_by_sms_through_kannel(
    app: AppServer,
    gateway: KannelGateway,
    records: async_sessionmaker[AsyncSession],
    twilio_api: FakeTwilioApi,
) -> None:
    consent = await exchange(gateway, "jalan rusak di depan SDN 1 Sleman", "Balas 1 atau 2.")
    assert_fits(consent)
    assert consent.text.startswith("LAPOR!: data Anda hanya dipakai")
    assert "1. Setuju\n2. Tidak setuju" in consent.text

    steps = [
        ("1", "Kapan kejadiannya?"),
        ("kemarin", "Balas 1, 2 atau 3."),
        ("1", "Kirim?"),
        ("1", "Tiket: LPR-"),
    ]
    for text, expected in steps:
        assert_fits(await exchange(gateway, text, expected))

    async with records() as session:
        [complaint] = (await session.scalars(select(Complaint))).all()
        reporter = await session.get(Reporter, complaint.reporter_id)
        assert reporter is not None and reporter.address == f"tel:{CITIZEN}"
        assert (complaint.source_channel, complaint.regency_name) == ("tel", "Kabupaten Sleman")
        assert complaint.description == "jalan rusak di depan SDN 1 Sleman"
    assert twilio_api.messages == []  # an Indonesian number never goes through Twilio

    # The fake SMSC reports every SMS delivered; Kannel calls /webhooks/kannel/dlr.
    deadline = time.monotonic() + 10
    while True:
        async with records() as session:
            statuses = set((await session.scalars(select(OutboxMessage.status))).all())
        if statuses == {"delivered"} or time.monotonic() > deadline:
            break
        await anyio.sleep(0.1)
    assert statuses == {"delivered"}


async def test_unicode_sms_and_berhenti_through_kannel(
    app: AppServer, gateway: KannelGateway, records: async_sessionmaker[AsyncSession]
) -> None:
    await exchange(gateway, "halo", "Balas 1 atau 2.", sender=NATIONAL)  # answered at +62...
    await exchange(gateway, "1", "Ceritakan masalahnya", sender=NATIONAL)
    # An emoji makes the phone send UCS-2: Kannel passes raw UTF-16BE bytes in the query.
    words = "Jalan rusak parah 🙏 tolong, di depan SDN 1 Sleman"
    encoded = quote(words.encode("utf-16-be"))
    assert_fits(await exchange(gateway, encoded, "Kapan kejadiannya?", kind="ucs2"))
    async with records() as session:
        said = (await session.scalars(select(Message.text).where(Message.direction == "in"))).all()
    assert words in said

    # Kannel leaves opt-out to us: the bot confirms, once, and then keeps quiet.
    stopped = await exchange(gateway, "BERHENTI", "Balas START")
    assert_fits(stopped)
    async with records() as session:
        reporter = await session.scalar(select(Reporter).where(Reporter.address == f"tel:{CITIZEN}"))
        assert reporter is not None and reporter.opted_out
    assert_fits(await exchange(gateway, "START", "Ketik LAPOR"))
