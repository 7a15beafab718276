"""STOP / BERHENTI / START by SMS through Twilio, and Twilio's 21610."""

from __future__ import annotations

from storage.models import OutboxMessage
from tests.support.phones import PhoneBot, PhoneCitizen, each_state_store, file_complaint

CITIZEN = "+14155550123"


async def _row(bot: PhoneBot, row_id: int) -> OutboxMessage:
    [row] = [r for r in await bot.outbox() if r.id == row_id]
    return row


async def test_stop_silences_the_number_and_start_brings_it_back(phone_bot: PhoneBot) -> None:
    citizen = PhoneCitizen(phone_bot, CITIZEN)
    ticket = await file_complaint(citizen)
    queued_before_stop = await phone_bot.push(ticket, "verified", send=False)
    assert queued_before_stop is not None

    # Twilio answers STOP itself (and would refuse our sends with 21610): we add nothing.
    assert await citizen.says("STOP") == []
    reporter = await phone_bot.reporter(citizen.address)
    assert reporter is not None and reporter.opted_out

    sent_before = len(phone_bot.twilio.messages)
    assert await phone_bot.push(ticket, "in_progress") is None  # not even queued
    await phone_bot.runtime.dispatcher.send_ids([queued_before_stop])  # queued earlier: refused
    assert (await _row(phone_bot, queued_before_stop)).status == "failed"
    assert (await _row(phone_bot, queued_before_stop)).last_error == "opted_out"
    assert await citizen.says("halo") == []  # the dialogue's answer is refused too
    assert len(phone_bot.twilio.messages) == sent_before

    assert await citizen.says("START") == []  # Twilio confirms this one as well
    reporter = await phone_bot.reporter(citizen.address)
    assert reporter is not None and not reporter.opted_out
    pushed = await phone_bot.push(ticket, "in_progress")
    assert pushed is not None and (await _row(phone_bot, pushed)).status == "sent"
    [message] = phone_bot.twilio.messages[sent_before:]
    assert message.to == CITIZEN and ticket in (message.body or "")


async def test_berhenti_is_ours_to_confirm_once(phone_bot: PhoneBot) -> None:
    """Twilio does not know the Indonesian words, so the bot confirms them itself."""
    citizen = PhoneCitizen(phone_bot, CITIZEN)
    [confirmation] = await citizen.texts("berhenti")
    assert "Balas START" in confirmation
    assert await citizen.says("BERHENTI") == []  # answered once
    assert await citizen.says("jalan rusak parah sekali di depan rumah saya") == []
    [back] = await citizen.texts("mulai")
    assert "LAPOR" in back
    # From a subscribed number START is what the word says: start a report.
    [consent] = await citizen.texts("START")
    assert "Balas 1 atau 2." in consent


async def test_twilio_21610_marks_the_number_opted_out(phone_bot: PhoneBot) -> None:
    # On sending: the number had opted out at Twilio before we knew.
    citizen = PhoneCitizen(phone_bot, CITIZEN)
    phone_bot.twilio.fail_for(CITIZEN, 400, 21610)
    assert await citizen.says("halo") == []
    reporter = await phone_bot.reporter(citizen.address)
    assert reporter is not None and reporter.opted_out
    [row] = await phone_bot.outbox()
    assert (row.status, row.attempts) == ("failed", 1)
    assert row.last_error is not None and "21610" in row.last_error
    phone_bot.clock.advance(hours=1)
    assert await phone_bot.runtime.dispatcher.run_once() == 0  # never retried

    # In a status callback: Twilio accepted the message, then refused to deliver it.
    other = PhoneCitizen(phone_bot, "+14155550124")
    [consent] = await other.says("halo")
    assert await phone_bot.status(consent, "failed", 21610) == 200
    reporter = await phone_bot.reporter(other.address)
    assert reporter is not None and reporter.opted_out
    row = (await phone_bot.outbox())[-1]
    assert (row.status, row.last_error) == ("failed", "21610")


@each_state_store
async def test_stop_delivered_twice_is_processed_once(phone_bot: PhoneBot) -> None:
    citizen = PhoneCitizen(phone_bot, CITIZEN)
    form = citizen.form("BERHENTI")
    for _ in range(2):
        assert (await phone_bot.post("twilio/sms", form)).status_code == 200
    assert len([m for m in phone_bot.twilio.messages if m.to == CITIZEN]) == 1
    assert (await phone_bot.counts())["inbound_seen"] == 1
