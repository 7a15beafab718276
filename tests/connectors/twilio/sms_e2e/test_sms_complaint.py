"""A citizen files a whole complaint by SMS through Twilio, answering with numbers."""

from __future__ import annotations

from datetime import timedelta

from bot.engine.dates import local_date
from connectors.sms import count_segments, is_gsm7
from tests.support.fakes.twilio_api import SentMessage
from tests.support.phones import PUBLIC_URL, SMS_FROM, PhoneBot, PhoneCitizen

CITIZEN = "+14155550123"  # not Indonesian: Indonesian numbers go through Kannel


def assert_fits_sms(messages: list[SentMessage]) -> None:
    """Every SMS: our sender, our status callback, GSM-7, at most two segments."""
    assert messages
    for message in messages:
        body = message.body or ""
        assert (message.from_, message.to) == (SMS_FROM, CITIZEN)
        assert message.status_callback == f"{PUBLIC_URL}/webhooks/twilio/status"
        assert is_gsm7(body), body
        assert count_segments(body).count <= 2, body


async def test_whole_complaint_by_sms_with_numbered_choices(phone_bot: PhoneBot) -> None:
    citizen = PhoneCitizen(phone_bot, CITIZEN)
    steps = [
        ("halo", "Balas 1 atau 2."),  # consent: 1. Setuju / 2. Tidak setuju
        ("1", "Ceritakan masalahnya"),
        ("saya mau menyampaikan bahwa banyak sampah menumpuk dan berbau", "Di mana lokasinya?"),
        ("Jl. Kaliurang km 5, Sleman", "Kapan kejadiannya?"),
        ("kemarin", "Balas 1, 2 atau 3."),  # identity: 1 Publik, 2 Rahasia, 3 Anonim
        ("2", "Cek laporan"),
        ("1", "Laporan diterima. Tiket: LPR-"),
    ]
    sent: list[SentMessage] = []
    for text, expected in steps:
        replies = await citizen.says(text)
        assert_fits_sms(replies)
        assert expected in (replies[-1].body or ""), (text, replies[-1].body)
        sent += replies
    # The emoji and the long sentences of the full texts never reach an SMS.
    assert "🇮🇩" not in "".join(m.body or "" for m in sent)

    [complaint] = await phone_bot.complaints()
    assert complaint.ticket in (sent[-1].body or "")
    assert (complaint.category, complaint.regency_name) == ("environment", "Kabupaten Sleman")
    assert complaint.confidential and not complaint.anonymous
    assert complaint.incident_date == local_date(phone_bot.clock()) - timedelta(days=1)
    assert complaint.description.startswith("saya mau menyampaikan bahwa banyak sampah")
    assert complaint.source_channel == "tel"
    assert complaint.source_message_ids == [citizen.sids[-1]]
    reporter = await phone_bot.reporter("tel:+14155550123")
    assert reporter is not None and reporter.id == complaint.reporter_id

    status = await citizen.says(f"STATUS {complaint.ticket}")
    assert_fits_sms(status)
    assert complaint.ticket in (status[0].body or "")


async def test_keyword_commands_work_by_sms(phone_bot: PhoneBot) -> None:
    citizen = PhoneCitizen(phone_bot, CITIZEN)
    steps = [
        ("LAPOR", "Balas 1 atau 2."),
        ("1", "Ceritakan masalahnya"),
        ("BANTUAN", "STATUS <tiket>"),
        ("BATAL", "Laporan dibatalkan."),
        ("BAHASA", "continue in English"),
        ("STATUS LPR-0000000A", "Ticket LPR-0000000A not found"),
    ]
    for text, expected in steps:
        replies = await citizen.says(text)
        assert_fits_sms(replies)
        assert any(expected in (reply.body or "") for reply in replies), (text, replies)
    assert await phone_bot.complaints() == []
