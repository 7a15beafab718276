"""Provider 429 and 5xx bursts: paced, retried, nothing dropped, nothing sent twice."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.connectors.telegram.e2e.conftest import TelegramBot, api, bot, telegram_server
from tests.support.records import complaints
from tests.support.records import outbox as outbox_rows
from tests.support.telegram_citizen import RICH_REPORT, Citizen

__all__ = ["api", "bot", "telegram_server"]
CHATS = (555000301, 555000302, 555000303)

pytestmark = pytest.mark.postgres


async def test_a_burst_of_429s_and_5xx_loses_and_doubles_nothing(bot: TelegramBot) -> None:
    bot.api.rate_limit(retry_after=3, times=4)
    bot.api.server_error(502, times=3)
    bot.api.server_error(500, times=3)
    citizens = [Citizen(bot, chat) for chat in CHATS]
    for answer in (RICH_REPORT, "setuju", "lewati", "publik", "lewati", "kirim"):
        for citizen in citizens:
            await citizen.says(answer)

    refused = [c for c in bot.api.calls_to("sendMessage") if c.status == 429]
    waiting = [row for row in await outbox_rows(bot) if row.last_error and "429" in row.last_error]
    assert refused and all(row.next_attempt_at >= bot.clock() + timedelta(seconds=3) for row in waiting)

    await bot.retry_due()

    calls = bot.api.calls_to("sendMessage")
    assert sorted(c.status for c in calls if c.status != 200) == [429] * 4 + [500] * 3 + [502] * 3
    assert len(await complaints(bot)) == len(CHATS)
    for citizen in citizens:
        rows = await outbox_rows(bot, f"telegram:{citizen.chat_id}")
        assert {row.status for row in rows} == {"sent"}, "none dropped or dead-lettered"
        assert [m.text for m in citizen.sent()] == [row.payload["text"] for row in rows], (
            "once each, in order"
        )
    assert len([c for c in calls if c.status == 200]) == len(await outbox_rows(bot))
