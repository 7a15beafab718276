"""Twilio's webhooks at the bot's door: signatures, retries, status callbacks."""

from __future__ import annotations

from tests.support.phones import PhoneBot, PhoneCitizen, each_state_store

CITIZEN = "+14155550123"


async def test_a_forged_request_is_refused_and_nothing_is_stored(phone_bot: PhoneBot) -> None:
    citizen = PhoneCitizen(phone_bot, CITIZEN)
    form = citizen.form("LAPOR jalan rusak di depan sekolah")
    for_another_url = phone_bot.twilio.signature("https://lapor.example.go.id/webhooks/twilio/sms", form)
    for signature in (None, "bogus", for_another_url):
        response = await phone_bot.post("twilio/sms", form, signature=signature)
        assert response.status_code == 403, signature
    assert set((await phone_bot.counts()).values()) == {0}
    assert phone_bot.twilio.messages == []


@each_state_store
async def test_a_message_delivered_twice_is_processed_once(phone_bot: PhoneBot) -> None:
    citizen = PhoneCitizen(phone_bot, CITIZEN)
    form = citizen.form("halo")
    for _ in range(3):  # Twilio retries when our answer is late
        assert (await phone_bot.post("twilio/sms", form)).status_code == 200
    assert len(phone_bot.twilio.messages) == 1
    counts = await phone_bot.counts()
    assert (counts["inbound_seen"], counts["outbox"]) == (1, 1)


async def test_status_callbacks_move_a_message_forward_only(phone_bot: PhoneBot) -> None:
    citizen = PhoneCitizen(phone_bot, CITIZEN)
    [consent] = await citizen.says("halo")
    [row] = await phone_bot.outbox()
    assert (row.status, row.provider_message_id) == ("sent", consent.sid)
    forged = phone_bot.twilio.status_callback(consent, "failed")
    assert (await phone_bot.post("twilio/status", forged, signature="bogus")).status_code == 403

    for status, expected in [
        ("sent", "sent"),
        ("delivered", "delivered"),
        ("sent", "delivered"),  # late and out of order: never backwards
        ("queued", "delivered"),
        ("undelivered", "delivered"),
    ]:
        assert await phone_bot.status(consent, status) == 200
        [row] = await phone_bot.outbox()
        assert row.status == expected, status

    # A failure stays for officers to see, whatever comes after it.
    [question] = await citizen.says("1")
    assert await phone_bot.status(question, "undelivered", 30003) == 200
    assert await phone_bot.status(question, "delivered") == 200
    row = (await phone_bot.outbox())[-1]
    assert (row.status, row.last_error) == ("undelivered", "30003")
    reporter = await phone_bot.reporter(citizen.address)
    assert reporter is not None and not reporter.opted_out


async def test_a_twilio_outage_is_retried_with_backoff(phone_bot: PhoneBot) -> None:
    phone_bot.twilio.fail_next(503, times=2)
    citizen = PhoneCitizen(phone_bot, CITIZEN)
    assert await citizen.says("halo") == []
    [row] = await phone_bot.outbox()
    assert (row.status, row.attempts) == ("queued", 1)
    for _ in range(5):
        phone_bot.clock.advance(minutes=10)
        await phone_bot.runtime.dispatcher.run_once()
    [row] = await phone_bot.outbox()
    assert (row.status, row.attempts) == ("sent", 3)
    [consent] = phone_bot.twilio.messages
    assert "Balas 1 atau 2." in (consent.body or "")
