"""Sending through the fake Bot API: rendering, splitting and error outcomes."""

from __future__ import annotations

import socket

import pytest

from connectors.messages import Ask, Choice, Outbound, SendOutcome
from connectors.telegram.connector import TelegramConnector
from tests.fakes.telegram_api import BLOCKED, FakeTelegramApi
from tests.telegram.conftest import FAST

CHAT = 5012345678
ADDRESS = f"telegram:{CHAT}"
CHOICES = (Choice("Ya, kirim", "affirm"), Choice("Ubah", "deny"))


async def test_plain_text_is_sent_unparsed(
    connector: TelegramConnector, telegram_api: FakeTelegramApi
) -> None:
    text = "Laporan <b>Anda</b> *diterima*: LPR-7K3M9QXA2 & https://lapor.go.id"
    result = await connector.send(Outbound(ADDRESS, text))
    (call,) = telegram_api.calls_to("sendMessage")
    assert result.outcome is SendOutcome.SENT
    assert result.provider_message_ids == (str(call.result["message_id"]),)
    assert call.chat_id == CHAT
    assert call.params["text"] == text
    assert "parse_mode" not in call.params
    assert call.params["link_preview_options"] == {"is_disabled": True}
    assert call.params["reply_markup"] == {"remove_keyboard": True}


async def test_choices_are_an_inline_keyboard(
    connector: TelegramConnector, telegram_api: FakeTelegramApi
) -> None:
    await connector.send(Outbound(ADDRESS, "Apakah sudah benar?", choices=CHOICES))
    (call,) = telegram_api.calls_to("sendMessage")
    assert call.params["reply_markup"] == {
        "inline_keyboard": [
            [{"text": "Ya, kirim", "callback_data": "affirm"}],
            [{"text": "Ubah", "callback_data": "deny"}],
        ]
    }


async def test_location_ask_sends_a_location_keyboard(
    connector: TelegramConnector, telegram_api: FakeTelegramApi
) -> None:
    await connector.send(Outbound(ADDRESS, "Di mana lokasinya?", ask=Ask.LOCATION))
    markup = telegram_api.calls_to("sendMessage")[0].params["reply_markup"]
    assert markup["keyboard"][0][0]["request_location"] is True
    assert markup["one_time_keyboard"] is True
    assert markup["input_field_placeholder"]


async def test_a_long_text_is_split_with_the_keyboard_on_the_last_part(
    connector: TelegramConnector, telegram_api: FakeTelegramApi
) -> None:
    paragraphs = [f"Paragraf {i}: " + " ".join(["jalan rusak berlubang"] * 41) for i in range(10)]
    text = "\n\n".join(paragraphs)
    assert 9_000 <= len(text) <= 9_500

    result = await connector.send(Outbound(ADDRESS, text, choices=CHOICES))

    calls = telegram_api.calls_to("sendMessage")
    assert result.outcome is SendOutcome.SENT
    assert len(calls) == len(result.provider_message_ids) == 3
    assert all(len(c.params["text"]) <= 4096 for c in calls)
    assert [c.params["text"].startswith("Paragraf") for c in calls] == [True] * 3
    assert "\n\n".join(c.params["text"] for c in calls) == text
    assert [("reply_markup" in c.params) for c in calls] == [False, False, True]
    assert "inline_keyboard" in calls[-1].params["reply_markup"]


async def test_rate_limited_reports_retry_after(
    connector: TelegramConnector, telegram_api: FakeTelegramApi
) -> None:
    telegram_api.rate_limit(retry_after=7)
    result = await connector.send(Outbound(ADDRESS, "Halo"))
    assert result.outcome is SendOutcome.RATE_LIMITED
    assert result.retry_after == 7.0
    assert result.provider_message_ids == ()


async def test_blocked_bot_is_unreachable(
    connector: TelegramConnector, telegram_api: FakeTelegramApi
) -> None:
    telegram_api.block(CHAT)
    result = await connector.send(Outbound(ADDRESS, "Status laporan Anda berubah"))
    assert result.outcome is SendOutcome.UNREACHABLE
    assert result.error is not None and BLOCKED in result.error


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_server_errors_are_retried(
    status: int, connector: TelegramConnector, telegram_api: FakeTelegramApi
) -> None:
    telegram_api.server_error(status)
    assert (await connector.send(Outbound(ADDRESS, "Halo"))).outcome is SendOutcome.RETRY
    assert (await connector.send(Outbound(ADDRESS, "Halo"))).outcome is SendOutcome.SENT


async def test_unreachable_host_is_retried() -> None:
    with socket.socket() as sock:  # a port on which nobody listens
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    closed = TelegramConnector("123:abc", "s", f"http://127.0.0.1:{port}", limits=FAST)
    try:
        result = await closed.send(Outbound(ADDRESS, "Halo"))
    finally:
        await closed.aclose()
    assert result.outcome is SendOutcome.RETRY


async def test_bad_request_fails_without_retry(
    connector: TelegramConnector, telegram_api: FakeTelegramApi
) -> None:
    telegram_api.fail("sendMessage", 400, "Bad Request: can't parse entities")
    result = await connector.send(Outbound(ADDRESS, "Halo"))
    assert result.outcome is SendOutcome.FAILED


async def test_chat_not_found_is_unreachable(
    connector: TelegramConnector, telegram_api: FakeTelegramApi
) -> None:
    telegram_api.fail("sendMessage", 400, "Bad Request: chat not found")
    assert (await connector.send(Outbound(ADDRESS, "Halo"))).outcome is SendOutcome.UNREACHABLE


async def test_a_failure_on_a_later_part_reports_the_parts_sent(
    connector: TelegramConnector, telegram_api: FakeTelegramApi
) -> None:
    telegram_api.server_error(502, after=1)
    result = await connector.send(Outbound(ADDRESS, "kata " * 1000))
    (first, failed) = telegram_api.calls_to("sendMessage")
    assert result.outcome is SendOutcome.RETRY
    assert result.provider_message_ids == (str(first.result["message_id"]),)
    assert failed.status == 502
    assert result.error is not None and "1 part(s) were sent" in result.error


@pytest.mark.parametrize(
    "outbound",
    [
        Outbound("tel:+6281234567890", "Halo"),
        Outbound("telegram:budi", "Halo"),
        Outbound(ADDRESS, "   "),
        Outbound(ADDRESS, "Pilih", choices=(Choice("Ya", "x" * 65),)),
    ],
    ids=["other-channel", "not-a-chat-id", "empty-text", "payload-too-long"],
)
async def test_unsendable_outbound_fails_without_a_call(
    outbound: Outbound, connector: TelegramConnector, telegram_api: FakeTelegramApi
) -> None:
    result = await connector.send(outbound)
    assert result.outcome is SendOutcome.FAILED
    assert telegram_api.calls == []


async def test_the_token_never_appears_in_errors(
    connector: TelegramConnector, telegram_api: FakeTelegramApi
) -> None:
    telegram_api.fail("sendMessage", 400, f"Bad Request: odd echo of {telegram_api.token}")
    result = await connector.send(Outbound(ADDRESS, "Halo"))
    assert result.error is not None
    assert telegram_api.token not in result.error
