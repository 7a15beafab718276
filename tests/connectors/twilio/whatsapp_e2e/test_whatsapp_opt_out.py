"""STOP and START on WhatsApp: Twilio leaves them to us, so the bot confirms."""

from __future__ import annotations

from tests.support.phones import PhoneBot, PhoneCitizen, file_complaint

CITIZEN = "+6285712345678"


async def test_stop_then_start_on_whatsapp(phone_bot: PhoneBot) -> None:
    citizen = PhoneCitizen(phone_bot, CITIZEN, whatsapp=True)
    ticket = await file_complaint(citizen)

    [stopped] = await citizen.texts("STOP")
    assert "Balas START" in stopped
    assert await citizen.says("stop") == []  # answered once
    reporter = await phone_bot.reporter(citizen.address)
    assert reporter is not None and reporter.opted_out
    before = len(phone_bot.twilio.messages)
    assert await phone_bot.push(ticket, "verified") is None
    assert phone_bot.twilio.messages[before:] == []

    [started] = await citizen.texts("START")
    assert "LAPOR" in started
    reporter = await phone_bot.reporter(citizen.address)
    assert reporter is not None and not reporter.opted_out
    await phone_bot.push(ticket, "in_progress")
    [update] = phone_bot.twilio.messages[before + 1 :]
    assert ticket in (update.body or "")

    english = PhoneCitizen(phone_bot, "+6285712345679", whatsapp=True)
    await english.says("ENGLISH")
    [stopped] = await english.texts("UNSUBSCRIBE")
    assert "Reply START" in stopped
