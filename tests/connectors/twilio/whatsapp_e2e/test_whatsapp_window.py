"""Status updates on WhatsApp: free-form within 24 hours of the citizen's last
message, the approved template after it; Twilio's 63016 sends the template."""

from __future__ import annotations

import json

from storage import outbox
from storage.models import OutboxMessage
from tests.support.phones import STATUS_TEMPLATE_SID, PhoneBot, PhoneCitizen, file_complaint

CITIZEN = "+6285712345678"
TO = f"whatsapp:{CITIZEN}"


async def _complaint(bot: PhoneBot) -> str:
    return await file_complaint(PhoneCitizen(bot, CITIZEN, whatsapp=True))


async def _row(bot: PhoneBot, row_id: int) -> OutboxMessage:
    [row] = [r for r in await bot.outbox() if r.id == row_id]
    return row


async def test_free_form_inside_the_window_the_template_after_it(phone_bot: PhoneBot) -> None:
    ticket = await _complaint(phone_bot)
    phone_bot.clock.advance(hours=23)
    before = len(phone_bot.twilio.messages)
    await phone_bot.push(ticket, "verified")
    [message] = phone_bot.twilio.messages[before:]
    assert message.to == TO and message.content_sid is None
    assert ticket in (message.body or "")

    phone_bot.clock.advance(hours=2)  # 25 hours after the citizen's last message
    await phone_bot.push(ticket, "in_progress")
    [message] = phone_bot.twilio.messages[before + 1 :]
    assert (message.to, message.content_sid, message.body) == (TO, STATUS_TEMPLATE_SID, None)
    assert json.loads(message.content_variables or "") == {"1": ticket, "2": "Sedang ditindaklanjuti"}


async def test_a_push_sent_after_the_window_closed_never_goes_free_form(phone_bot: PhoneBot) -> None:
    ticket = await _complaint(phone_bot)
    late = await phone_bot.push(ticket, "in_progress", send=False)  # free-form when queued
    assert late is not None and "template" not in (await _row(phone_bot, late)).payload
    async with phone_bot.runtime.sessions() as session:  # a push that names no complaint
        payload = {"address": TO, "text": "Pengumuman", "key": "", "language": "id"}
        row = outbox.enqueue(
            session, address=TO, channel="whatsapp", payload=payload, now=phone_bot.clock(), kind="push"
        )
        await session.commit()
        orphan = row.id
    phone_bot.clock.advance(hours=30)  # e.g. the process was down for a day
    before = len(phone_bot.twilio.messages)
    # One message of a citizen's queue at a time, in order.
    assert [await phone_bot.runtime.dispatcher.run_once() for _ in range(3)] == [1, 1, 0]

    [message] = phone_bot.twilio.messages[before:]
    assert message.content_sid == STATUS_TEMPLATE_SID
    assert json.loads(message.content_variables or "")["1"] == ticket
    sent = await _row(phone_bot, late)
    assert sent.status == "sent" and sent.payload["template"]["name"] == "status_update"
    refused = await _row(phone_bot, orphan)
    assert (refused.status, refused.last_error) == ("failed", "outside 24h window, no template")


async def test_twilio_refusing_a_free_form_push_gets_the_template_once(phone_bot: PhoneBot) -> None:
    ticket = await _complaint(phone_bot)
    phone_bot.twilio.fail_next(400, 63016)
    before = len(phone_bot.twilio.messages)
    first = await phone_bot.push(ticket, "verified")
    assert first is not None
    await phone_bot.runtime.dispatcher.drain()
    [message] = phone_bot.twilio.messages[before:]
    assert message.content_sid == STATUS_TEMPLATE_SID
    refused = await _row(phone_bot, first)
    assert refused.status == "failed" and "63016" in (refused.last_error or "")
    [retry] = [r for r in await phone_bot.outbox() if r.id > first]
    assert (retry.kind, retry.status, retry.complaint_id) == ("push", "sent", refused.complaint_id)


async def test_a_63016_status_callback_sends_the_template_once(phone_bot: PhoneBot) -> None:
    ticket = await _complaint(phone_bot)
    before = len(phone_bot.twilio.messages)
    await phone_bot.push(ticket, "verified")
    [free_form] = phone_bot.twilio.messages[before:]
    assert free_form.content_sid is None
    for _ in range(2):  # Twilio may call twice; one template is enough
        assert await phone_bot.status(free_form, "failed", 63016) == 200
    [template] = phone_bot.twilio.messages[before + 1 :]
    assert template.content_sid == STATUS_TEMPLATE_SID
    assert json.loads(template.content_variables or "")["1"] == ticket
    assert await phone_bot.status(template, "delivered") == 200
    statuses = [r.status for r in await phone_bot.outbox() if r.kind == "push"]
    assert statuses == ["failed", "delivered"]
