"""Media downloads, long polling, webhook set-up and callback answers, against the fake."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest

from connectors.base import WebhookRequest
from connectors.media import MediaRejected
from connectors.messages import Media
from connectors.telegram.connector import ALLOWED_UPDATES, TelegramApiError, TelegramConnector
from connectors.telegram.connector import TelegramLimits as Limits
from connectors.telegram.parse import parse_update
from tests.fakes.telegram_api import FakeTelegramApi, callback_update, text_update
from tests.telegram.conftest import SECRET

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 2_000


def _photo(file_id: str, size: int | None = None) -> Media:
    return Media("image/jpeg", provider_id=file_id, size=size)


async def test_fetch_media_downloads_the_file(
    connector: TelegramConnector, telegram_api: FakeTelegramApi
) -> None:
    file_id = telegram_api.add_file(JPEG, path="photos/file_7.jpg")
    assert await connector.fetch_media(_photo(file_id)) == JPEG
    assert [c.params["file_id"] for c in telegram_api.calls_to("getFile")] == [file_id]


@pytest.fixture
async def small(telegram_api: FakeTelegramApi) -> AsyncIterator[TelegramConnector]:
    limits = Limits(per_chat_interval=0, max_media_bytes=1_000, timeout=5)
    connector = TelegramConnector(telegram_api.token, SECRET, telegram_api.url, limits=limits)
    yield connector
    await connector.aclose()


async def test_oversized_media_is_refused_before_asking_telegram(
    small: TelegramConnector, telegram_api: FakeTelegramApi
) -> None:
    file_id = telegram_api.add_file(JPEG)
    with pytest.raises(MediaRejected):
        await small.fetch_media(_photo(file_id, size=len(JPEG)))
    assert telegram_api.calls == []


async def test_oversized_media_is_refused_by_the_size_telegram_reports(
    small: TelegramConnector, telegram_api: FakeTelegramApi
) -> None:
    file_id = telegram_api.add_file(JPEG)
    with pytest.raises(MediaRejected):
        await small.fetch_media(_photo(file_id))  # the update did not say the size
    assert [c.method for c in telegram_api.calls] == ["getFile"]


async def test_a_file_bigger_than_reported_is_refused_after_download(
    small: TelegramConnector, telegram_api: FakeTelegramApi
) -> None:
    file_id = telegram_api.add_file(JPEG, reported_size=500)
    with pytest.raises(MediaRejected):
        await small.fetch_media(_photo(file_id))


async def test_a_file_telegram_will_not_serve_is_refused(
    connector: TelegramConnector, telegram_api: FakeTelegramApi
) -> None:
    file_id = telegram_api.add_file(JPEG, reported_size=25 * 1024 * 1024)
    with pytest.raises(MediaRejected):
        await connector.fetch_media(_photo(file_id))


async def test_an_unknown_file_is_an_api_error(connector: TelegramConnector) -> None:
    with pytest.raises(TelegramApiError) as error:
        await connector.fetch_media(_photo("AgACAgUAAxkBAAInvalid"))
    assert error.value.retryable is False


async def test_get_updates_honours_the_offset(
    connector: TelegramConnector, telegram_api: FakeTelegramApi
) -> None:
    pushed = [telegram_api.push_update(text_update(42, f"pesan {i}")) for i in range(3)]
    first = await connector.get_updates(None, timeout=0)
    assert first == pushed  # raw, exactly as queued

    offset = first[-1]["update_id"] + 1
    assert await connector.get_updates(offset, timeout=0) == []

    later = telegram_api.push_update(text_update(42, "pesan 3"))
    assert await connector.get_updates(offset, timeout=0) == [later]
    assert await connector.get_updates(None, timeout=0) == [later]  # earlier ones confirmed
    assert [c.params.get("offset") for c in telegram_api.calls_to("getUpdates")] == [
        None,
        offset,
        offset,
        None,
    ]


async def test_get_updates_without_offset_repeats_unconfirmed_updates(
    connector: TelegramConnector, telegram_api: FakeTelegramApi
) -> None:
    telegram_api.push_update(text_update(42, "halo"))
    once = await connector.get_updates(None, timeout=0)
    assert await connector.get_updates(None, timeout=0) == once


async def test_a_long_poll_returns_as_soon_as_an_update_arrives(
    connector: TelegramConnector, telegram_api: FakeTelegramApi
) -> None:
    poll = asyncio.create_task(connector.get_updates(None, timeout=10))
    await asyncio.sleep(0.2)
    assert not poll.done()
    pushed = telegram_api.push_update(callback_update(42, "affirm"))
    async with asyncio.timeout(3):
        assert await poll == [pushed]


async def test_polled_updates_parse_like_webhook_updates(
    connector: TelegramConnector, telegram_api: FakeTelegramApi
) -> None:
    telegram_api.push_update(text_update(42, "/lapor@LaporChatBot"))
    (update,) = await connector.get_updates(None, timeout=0)
    (inbound,) = parse_update(update)
    assert (inbound.address, inbound.text) == ("telegram:42", "/lapor")
    assert inbound.external_id == str(update["update_id"])


async def test_set_and_delete_webhook(connector: TelegramConnector, telegram_api: FakeTelegramApi) -> None:
    await connector.set_webhook("https://lapor.example/webhooks/telegram")
    assert telegram_api.webhook == {
        "url": "https://lapor.example/webhooks/telegram",
        "secret_token": SECRET,
        "allowed_updates": list(ALLOWED_UPDATES),
    }
    assert (await connector.webhook_info())["url"] == "https://lapor.example/webhooks/telegram"

    with pytest.raises(TelegramApiError) as conflict:
        await connector.get_updates(None, timeout=0)
    assert conflict.value.retryable is False

    await connector.delete_webhook()
    assert telegram_api.webhook == {}
    assert telegram_api.calls_to("deleteWebhook")[0].params == {"drop_pending_updates": False}


async def test_rate_limited_api_call_carries_retry_after(
    connector: TelegramConnector, telegram_api: FakeTelegramApi
) -> None:
    telegram_api.rate_limit(retry_after=3, method="getUpdates")
    with pytest.raises(TelegramApiError) as limited:
        await connector.get_updates(None, timeout=0)
    assert (limited.value.retryable, limited.value.retry_after) == (True, 3.0)


async def test_answer_callback(connector: TelegramConnector, telegram_api: FakeTelegramApi) -> None:
    await connector.answer_callback("4382613998102734561")
    (call,) = telegram_api.calls_to("answerCallbackQuery")
    assert (call.params["callback_query_id"], call.status) == ("4382613998102734561", 200)


async def test_a_stale_callback_is_swallowed(
    connector: TelegramConnector, telegram_api: FakeTelegramApi
) -> None:
    telegram_api.expire_callback("old")
    await connector.answer_callback("old")
    assert telegram_api.calls_to("answerCallbackQuery")[0].status == 400


async def test_a_failed_callback_answer_is_swallowed(
    connector: TelegramConnector, telegram_api: FakeTelegramApi
) -> None:
    telegram_api.server_error(method="answerCallbackQuery")
    await connector.answer_callback("4382613998102734561")
    assert telegram_api.calls_to("answerCallbackQuery")[0].status == 500


async def test_the_fake_delivers_to_the_webhook_with_its_secret(
    connector: TelegramConnector, telegram_api: FakeTelegramApi
) -> None:
    received: list[httpx.Request] = []

    def webhook(request: httpx.Request) -> httpx.Response:
        received.append(request)
        return httpx.Response(200)

    await connector.set_webhook("https://lapor.example/webhooks/telegram")
    update = telegram_api.push_update(text_update(42, "halo"))
    async with httpx.AsyncClient(transport=httpx.MockTransport(webhook)) as client:
        response = await telegram_api.deliver_to_webhook(update, client=client)

    (request,) = received
    assert response.status_code == 200
    assert str(request.url) == "https://lapor.example/webhooks/telegram"
    assert request.headers["X-Telegram-Bot-Api-Secret-Token"] == SECRET
    body = WebhookRequest("POST", str(request.url), dict(request.headers), request.content)
    assert [i.text for i in connector.parse(body)] == ["halo"]  # type: ignore[union-attr]
