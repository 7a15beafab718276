"""Long polling: the same bot, fed by getUpdates instead of the webhook."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.intake.long_polling import Handler, Poller, PollingOptions, PollingStopped
from bot.intake.outcome import Outcome
from connectors.messages import Inbound
from storage.models import InboundSeen
from tests.connectors.telegram.e2e.conftest import TelegramBot, each_state_store, sqlite_only
from tests.support.fakes.telegram_api import text_update
from tests.support.records import complaints, count
from tests.support.telegram_citizen import RICH_REPORT, Citizen, file_report

CHAT = 555000301
FAST = PollingOptions(poll_seconds=0, backoff_base=0.01, backoff_cap=0.02)


class CrashesOnce:
    """The first turn dies before anything is stored (the process crashed, the database went away)."""

    def __init__(self, real: Handler) -> None:
        self.real = real
        self.crashed = False

    async def handle(self, inbound: Inbound) -> Outcome:
        if not self.crashed:
            self.crashed = True
            raise ConnectionError("the database went away")
        return await self.real.handle(inbound)


def poller(
    bot: TelegramBot, *, conversations: Handler | None = None, options: PollingOptions = FAST
) -> Poller:
    runtime = bot.runtime
    handler = conversations or runtime.conversations
    return Poller(bot.connector, handler, runtime.dispatcher, runtime.clock, options)


def offsets(bot: TelegramBot) -> list[int | None]:
    return [call.params.get("offset") for call in bot.api.calls_to("getUpdates")]


def fetched(bot: TelegramBot) -> list[list[int]]:
    return [[u["update_id"] for u in call.result] for call in bot.api.calls_to("getUpdates")]


@pytest.fixture
async def polling(bot: TelegramBot) -> TelegramBot:
    """The bot with its webhook removed, as ``lapor telegram delete-webhook`` does."""
    await bot.connector.delete_webhook()
    return bot


@each_state_store
async def test_a_whole_complaint_by_long_polling(polling: TelegramBot) -> None:
    budi = Citizen(polling, CHAT, poller=poller(polling))

    sent = await file_report(budi)

    (complaint,) = await complaints(polling)
    assert complaint.ticket in sent[-1].text
    assert len(sent) == 6 and sent[0].buttons == {"Setuju": "agree", "Tidak setuju": "disagree"}
    answered = [c.params["callback_query_id"] for c in polling.api.calls_to("answerCallbackQuery")]
    assert answered == budi.callbacks
    # Each getUpdates confirmed exactly the updates stored before it.
    ids = [batch[0] for batch in fetched(polling)]
    assert offsets(polling) == [None, *(i + 1 for i in ids[:-1])]
    assert await count(polling, InboundSeen) == 6


async def test_an_update_whose_turn_crashed_is_fetched_again_and_processed_once(polling: TelegramBot) -> None:
    update = polling.api.push_update(text_update(CHAT, RICH_REPORT))
    crashing = poller(polling, conversations=CrashesOnce(polling.runtime.conversations))

    await crashing.run(rounds=1)
    await polling.runtime.dispatcher.drain()
    assert crashing.offset is None and await count(polling, InboundSeen) == 0
    assert polling.api.sent_texts(CHAT) == []

    await crashing.run(rounds=2)
    await polling.runtime.dispatcher.drain()

    assert fetched(polling) == [[update["update_id"]], [update["update_id"]], []]
    assert offsets(polling) == [None, None, update["update_id"] + 1]
    assert polling.api.sent_texts(CHAT) == [polling.runtime.texts.render("consent", "id")]
    assert await count(polling, InboundSeen) == 1


async def test_an_update_stored_but_not_yet_confirmed_is_not_answered_twice(polling: TelegramBot) -> None:
    polling.api.push_update(text_update(CHAT, RICH_REPORT))
    await poller(polling).run(rounds=1)  # stored; the process dies before the next getUpdates confirms it

    restarted = poller(polling)
    await restarted.run(rounds=1)
    await polling.runtime.dispatcher.drain()

    assert len(fetched(polling)) == 2 and fetched(polling)[0] == fetched(polling)[1]
    assert len(polling.api.sent_texts(CHAT)) == 1
    assert restarted.offset == fetched(polling)[0][0] + 1


async def test_server_errors_and_a_malformed_update_do_not_stop_polling(polling: TelegramBot) -> None:
    polling.api.server_error(502, method="getUpdates")
    polling.api.push_update({"message": {"message_id": 1, "chat": "not a chat", "date": 0}})
    good = polling.api.push_update(text_update(CHAT, RICH_REPORT))
    bot_poller = poller(polling)

    await bot_poller.run(rounds=2)
    await polling.runtime.dispatcher.drain()

    assert [c.status for c in polling.api.calls_to("getUpdates")] == [502, 200]
    assert bot_poller.offset == good["update_id"] + 1
    assert len(polling.api.sent_texts(CHAT)) == 1


class FailsOn:
    """Every turn of one message fails (a bug the message triggers)."""

    def __init__(self, real: Handler, poison: str) -> None:
        self.real = real
        self.poison = poison

    async def handle(self, inbound: Inbound) -> Outcome:
        if inbound.text == self.poison:
            raise ValueError("a bug this message triggers")
        return await self.real.handle(inbound)


@sqlite_only
async def test_an_update_that_always_fails_is_skipped_so_that_the_others_get_through(
    polling: TelegramBot,
) -> None:
    poison = polling.api.push_update(text_update(CHAT, "💥"))
    polling.api.push_update(text_update(CHAT + 1, RICH_REPORT))
    options = PollingOptions(poll_seconds=0, backoff_base=0.01, backoff_cap=0.02, max_update_attempts=3)
    stubborn = poller(polling, conversations=FailsOn(polling.runtime.conversations, "💥"), options=options)

    await stubborn.run(rounds=4)
    await polling.runtime.dispatcher.drain()

    assert offsets(polling) == [None, None, None, poison["update_id"] + 2]
    assert polling.api.sent_texts(CHAT) == []
    assert len(polling.api.sent_texts(CHAT + 1)) == 1


@sqlite_only
async def test_polling_refuses_while_a_webhook_is_set(bot: TelegramBot) -> None:
    with pytest.raises(PollingStopped, match="webhook is active"):
        await poller(bot).run(rounds=1)


@sqlite_only
async def test_stop_ends_a_long_poll_at_once(polling: TelegramBot) -> None:
    waiting = poller(polling, options=PollingOptions(poll_seconds=30))
    task = asyncio.create_task(waiting.run())
    await asyncio.sleep(0.2)
    started = time.monotonic()

    waiting.stop()
    await asyncio.wait_for(task, 5)

    assert time.monotonic() - started < 2
    # The abandoned request ends at the fake when an update arrives; nobody takes it.
    polling.api.push_update(text_update(CHAT, RICH_REPORT))
    for _ in range(100):
        if polling.api.calls_to("getUpdates"):
            break
        await asyncio.sleep(0.01)
    assert waiting.offset is None
    assert polling.api.sent_texts(CHAT) == [] and await count(polling, InboundSeen) == 0
