"""What the webhook refuses, deduplicates, and answers to messages it cannot use."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from storage.models import InboundSeen, OutboxMessage, Reporter
from tests.connectors.telegram.e2e.conftest import TelegramBot, each_state_store, sqlite_only
from tests.support.fakes.telegram_api import text_update
from tests.support.paths import FIXTURES as FIXTURES_DIR
from tests.support.records import count, reporter
from tests.support.telegram_citizen import RICH_REPORT, Citizen

FIXTURES = FIXTURES_DIR / "telegram"
BUDI = 5012345678  # the sender of every recorded update


def recorded(name: str) -> dict[str, Any]:
    """A real update as Telegram sent it (tests/fixtures/telegram)."""
    data: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text("utf-8"))
    return data


def text(bot: TelegramBot, key: str, language: str = "id") -> str:
    return bot.runtime.texts.render(key, language)


async def test_a_wrong_or_missing_secret_is_refused_and_nothing_is_processed(bot: TelegramBot) -> None:
    for secret in ("forged", "s3cret ", "S3CRET", ""):  # "" sends no header at all
        response = await bot.deliver(recorded("text"), secret=secret)
        assert response.status_code == 403, secret

    for model in (InboundSeen, Reporter, OutboxMessage):
        assert await count(bot, model) == 0
    assert bot.api.calls_to("sendMessage") == []


@sqlite_only
async def test_a_body_that_is_not_an_update_is_a_400(bot: TelegramBot) -> None:
    response = await bot.deliver({"message": text_update(BUDI, "halo")["message"]})  # no update_id

    assert response.status_code == 400
    assert await count(bot, InboundSeen) == 0


@each_state_store
async def test_a_repeated_update_id_is_processed_once(bot: TelegramBot) -> None:
    update = recorded("text")
    first = await bot.deliver(update)
    again = await bot.deliver(update)  # Telegram retries when our 200 was lost
    racing = await asyncio.gather(*(bot.deliver(update) for _ in range(3)))

    assert [r.status_code for r in (first, again, *racing)] == [200] * 5
    assert bot.api.sent_texts(BUDI) == [text(bot, "consent")]
    assert await count(bot, InboundSeen) == 1
    assert await count(bot, OutboxMessage) == 1


@sqlite_only
async def test_a_message_the_bot_cannot_read_gets_a_polite_please_type(bot: TelegramBot) -> None:
    for kind in ("voice", "sticker", "video_note"):
        response = await bot.deliver(recorded(kind))
        assert response.status_code == 200

    assert bot.api.sent_texts(BUDI) == [text(bot, "unsupported")] * 3


async def test_in_a_group_the_bot_asks_to_be_messaged_directly(bot: TelegramBot) -> None:
    update = recorded("group_message")  # "/lapor@LaporChatBot" in a supergroup
    group = update["message"]["chat"]["id"]

    await bot.deliver(update)

    assert bot.api.sent_texts(group) == [text(bot, "group_chat")]
    assert bot.api.sent_texts(BUDI) == []
    found = await reporter(bot, f"telegram:{group}")  # nobody's name is kept from a group
    assert found is None or (found.display_name is None and found.consented_at is None)
    assert await reporter(bot, f"telegram:{BUDI}") is None


@sqlite_only
async def test_an_edited_message_is_acknowledged_and_not_answered(bot: TelegramBot) -> None:
    budi = Citizen(bot, BUDI)
    await budi.says(RICH_REPORT)

    response = await bot.deliver(recorded("edited_message"))

    assert response.status_code == 200
    assert budi.replies() == []


async def test_a_stale_button_is_answered_and_the_current_question_asked_again(bot: TelegramBot) -> None:
    budi = Citizen(bot, BUDI)
    await budi.says(RICH_REPORT)
    consent = budi.last_keyboard()
    (ask_photo,) = await budi.press("Setuju")
    assert ask_photo.text == text(bot, "ask_photo")
    # Days later Budi taps "Tidak setuju" under the old consent message; the query has expired.
    bot.api.expire_callback("old-query")
    update = {"update_id": 900_000_001} | recorded("callback_query")
    query = update["callback_query"] | {"id": "old-query", "data": consent.buttons["Tidak setuju"]}
    update["callback_query"] = query | {"message": query["message"] | {"message_id": consent.message_id}}

    response = await bot.deliver(update)

    assert response.status_code == 200
    (retry,) = budi.replies()
    assert retry.text == text(bot, "retry_photo")
    stale = [
        c for c in bot.api.calls_to("answerCallbackQuery") if c.params["callback_query_id"] == "old-query"
    ]
    assert [c.status for c in stale] == [400]  # tried once; Telegram's refusal is only logged
    assert (await reporter(bot, f"telegram:{BUDI}")) is not None


async def test_commands_work_at_any_point(bot: TelegramBot) -> None:
    budi = Citizen(bot, BUDI)
    await budi.says(RICH_REPORT)
    await budi.press("Setuju")

    (help_text, *_) = await budi.says("/bantuan")
    assert help_text.text == text(bot, "help")
    (language, *_) = await budi.says("/bahasa")
    assert language.text == text(bot, "language_set", "en")
    (cancelled,) = await budi.says("/batal")
    assert cancelled.text == text(bot, "cancelled", "en")
    (nothing,) = await budi.says("/batal@LaporChatBot")
    assert nothing.text == text(bot, "nothing_to_cancel", "en")
    (status,) = await budi.says("/status")
    assert status.text == text(bot, "status_none", "en")
    (describe,) = await budi.says("/lapor")
    assert describe.text == text(bot, "ask_description", "en")


async def test_a_contact_shared_outside_the_phone_question_is_not_stored(bot: TelegramBot) -> None:
    # Personal data is kept only when the dialogue asked for it, after consent.
    await bot.deliver(recorded("contact_other"))
    await bot.deliver(recorded("contact_own"))
    found = await reporter(bot, f"telegram:{BUDI}")
    assert found is not None and found.phone is None
