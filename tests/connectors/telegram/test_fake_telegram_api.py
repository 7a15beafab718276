"""The fake Bot API answers as Telegram does, for the calls the connector does not make."""

from __future__ import annotations

from typing import Any

import httpx

from tests.support.fakes.telegram_api import BOT_USER, FakeTelegramApi


async def _call(api: FakeTelegramApi, method: str, token: str = "", **params: Any) -> httpx.Response:
    async with httpx.AsyncClient(base_url=api.url) as client:
        return await client.post(f"/bot{token or api.token}/{method}", json=params)


async def test_get_me(telegram_api: FakeTelegramApi) -> None:
    response = await _call(telegram_api, "getMe")
    assert response.status_code == 200
    assert response.json()["result"]["username"] == BOT_USER["username"]


async def test_method_names_are_case_insensitive(telegram_api: FakeTelegramApi) -> None:
    response = await _call(telegram_api, "sendmessage", chat_id=42, text="halo")
    assert response.json()["result"]["text"] == "halo"
    assert telegram_api.sent_texts(42) == ["halo"]


async def test_wrong_token_and_unknown_method(telegram_api: FakeTelegramApi) -> None:
    unauthorized = await _call(telegram_api, "getMe", token="1:wrong")
    unknown = await _call(telegram_api, "sendTelepathy")
    assert (unauthorized.status_code, unauthorized.json()["ok"]) == (401, False)
    assert unknown.json() == {"ok": False, "error_code": 404, "description": "Not Found"}


async def test_edit_message_reply_markup_removes_buttons(telegram_api: FakeTelegramApi) -> None:
    keyboard = {"inline_keyboard": [[{"text": "Ya", "callback_data": "affirm"}]]}
    sent = await _call(telegram_api, "sendMessage", chat_id=42, text="Benar?", reply_markup=keyboard)
    message = sent.json()["result"]
    assert message["reply_markup"] == keyboard

    edited = await _call(telegram_api, "editMessageReplyMarkup", chat_id=42, message_id=message["message_id"])
    assert "reply_markup" not in edited.json()["result"]
    missing = await _call(telegram_api, "editMessageReplyMarkup", chat_id=42, message_id=1)
    assert missing.json()["description"] == "Bad Request: message to edit not found"


async def test_send_message_validates_like_telegram(telegram_api: FakeTelegramApi) -> None:
    too_long = await _call(telegram_api, "sendMessage", chat_id=42, text="x" * 4097)
    empty = await _call(telegram_api, "sendMessage", chat_id=42, text=" ")
    bad_button = {"inline_keyboard": [[{"text": "Ya", "callback_data": "x" * 65}]]}
    button = await _call(telegram_api, "sendMessage", chat_id=42, text="a", reply_markup=bad_button)
    assert [r.status_code for r in (too_long, empty, button)] == [400, 400, 400]
    assert button.json()["description"] == "Bad Request: BUTTON_DATA_INVALID"


async def test_injected_failure_carries_retry_after(telegram_api: FakeTelegramApi) -> None:
    telegram_api.rate_limit(retry_after=9)
    limited = await _call(telegram_api, "sendMessage", chat_id=42, text="halo")
    after = await _call(telegram_api, "sendMessage", chat_id=42, text="halo")
    assert limited.status_code == 429
    assert limited.json()["parameters"] == {"retry_after": 9}
    assert after.status_code == 200


async def test_files_are_served_under_the_file_path(telegram_api: FakeTelegramApi) -> None:
    file_id = telegram_api.add_file(b"%PDF-1.7", path="documents/file_1.pdf")
    found = (await _call(telegram_api, "getFile", file_id=file_id)).json()["result"]
    async with httpx.AsyncClient(base_url=telegram_api.url) as client:
        download = await client.get(f"/file/bot{telegram_api.token}/{found['file_path']}")
        elsewhere = await client.get("/file/bot1:wrong/documents/file_1.pdf")
    assert (found["file_size"], download.content) == (8, b"%PDF-1.7")
    assert elsewhere.status_code == 404
