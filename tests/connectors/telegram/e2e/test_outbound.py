"""Replies and pushes leaving through the outbox: rate limits, blocked citizens, officers' pushes."""

from __future__ import annotations

from datetime import timedelta

from bot.delivery.outbox_payload import to_payload
from connectors.messages import Choice, Outbound
from storage import outbox
from tests.connectors.telegram.e2e.conftest import TelegramBot
from tests.support.records import complaints, reporter
from tests.support.records import outbox as outbox_rows
from tests.support.telegram_citizen import RICH_REPORT, Citizen, file_report

ANI, BUDI = 555000201, 555000202
STORM = 5  # sendMessage calls answered 429 retry_after=1


async def test_a_429_storm_still_delivers_every_reply_once_in_order_per_chat(bot: TelegramBot) -> None:
    bot.api.rate_limit(retry_after=1, times=STORM)
    ani, budi = Citizen(bot, ANI, "Ani"), Citizen(bot, BUDI)

    # Both report while Telegram refuses: the turns go on, the replies wait in the outbox.
    for answer in (RICH_REPORT, "setuju", "lewati", "publik", "lewati", "kirim"):
        await ani.says(answer)
        await budi.says(answer)

    # Each chat's first reply was refused; the later ones queue behind it, in order.
    assert [c.status for c in bot.api.calls_to("sendMessage")] == [429, 429]
    retried = [row for row in await outbox_rows(bot) if row.attempts]
    assert len(retried) == 2
    assert all(row.next_attempt_at >= bot.clock() + timedelta(seconds=1) for row in retried)
    assert await bot.runtime.dispatcher.run_once() == 0  # nothing goes before retry_after

    await bot.retry_due()

    assert len(await complaints(bot)) == 2
    assert len([c for c in bot.api.calls_to("sendMessage") if c.status == 429]) == STORM
    for citizen in (ani, budi):
        rows = await outbox_rows(bot, f"telegram:{citizen.chat_id}")
        assert len(rows) == 6 and {row.status for row in rows} == {"sent"}
        # Delivered exactly once each, in the order the bot wrote them.
        assert [m.text for m in citizen.sent()] == [row.payload["text"] for row in rows]
    delivered = [c for c in bot.api.calls_to("sendMessage") if c.status == 200]
    assert len(delivered) == len(await outbox_rows(bot)) == 12


async def test_a_citizen_who_blocked_the_bot_is_marked_unreachable_and_not_retried(bot: TelegramBot) -> None:
    bot.api.block(BUDI)
    budi = Citizen(bot, BUDI)

    await budi.says("Jalan rusak berlubang besar di depan Pasar Kosambi Kota Bandung sejak kemarin")
    await bot.retry_due()

    (attempt,) = bot.api.calls_to("sendMessage")
    assert attempt.status == 403
    found = await reporter(bot, f"telegram:{BUDI}")
    assert found is not None and found.unreachable
    (row,) = await outbox_rows(bot)
    assert (row.status, row.attempts) == ("failed", 1)


async def test_an_officers_status_push_reaches_the_citizens_chat(bot: TelegramBot) -> None:
    budi = Citizen(bot, BUDI)
    await file_report(budi)
    (complaint,) = await complaints(bot)
    address = f"telegram:{BUDI}"
    push = Outbound(
        address,
        f"Laporan {complaint.ticket} selesai ditindaklanjuti. Apakah masalahnya sudah beres?",
        choices=(Choice("Ya, sudah", "fixed"), Choice("Belum", "not_fixed")),
        key="status_resolved",
    )
    async with bot.runtime.sessions() as session:
        row = outbox.enqueue(
            session,
            address=address,
            channel="telegram",
            payload=to_payload(push),
            now=bot.clock(),
            kind="push",
            complaint_id=complaint.id,
        )
        await session.commit()
    budi.replies()

    await bot.runtime.dispatcher.send_ids([row.id])

    (arrived,) = budi.replies()
    assert arrived.text == push.text
    assert arrived.buttons == {"Ya, sudah": "fixed", "Belum": "not_fixed"}
    (stored,) = [r for r in await outbox_rows(bot, address) if r.kind == "push"]
    assert stored.status == "sent" and stored.provider_message_id == str(arrived.message_id)
