"""Recorded Telegram updates -> Inbound, and webhook verification."""

from __future__ import annotations

import copy
import dataclasses
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from connectors.base import Connector, WebhookRejected, WebhookRequest
from connectors.messages import Contact, Inbound, Location, Media
from connectors.telegram.connector import SECRET_HEADER, TelegramConnector
from connectors.telegram.parse import NotAnUpdate, parse_update
from tests.telegram.conftest import FIXTURES, SECRET, load_fixture

NOW = datetime(2025, 1, 1, 8, 0, tzinfo=UTC)
BUDI = "telegram:5012345678"
PHOTO_ID = "AgACAgUAAxkBAAIBz2d1Y3Bx1q4AAUx9yN2XUuLcdCHNAAKWwjEbqN6xV8ZkHa5sD6YoAQADAgADeQADNgQ"
DOCUMENT_ID = "BQACAgUAAxkBAAIB0Gd1Y5K3uBfW2j8bM9e8y2mJ4wABuAACdxIAAqjesVcGRJ3q0cNm4DYE"
KOSAMBI = "Pasar Kosambi, Jl. Ahmad Yani No.221, Kb. Pisang, Kec. Sumur Bandung, Kota Bandung"

# fixture -> the Inbound fields that matter (None: the update yields nothing)
EXPECTED: dict[str, dict[str, Any] | None] = {
    "text": {
        "address": BUDI,
        "external_id": "845210001",
        "text": "Jalan di depan Pasar Kosambi berlubang besar, sudah 2 minggu tidak diperbaiki.",
        "display_name": "Budi",
        "received_at": datetime(2025, 1, 1, 7, 0, tzinfo=UTC),
        "unsupported": None,
    },
    "command_start": {"text": "/start", "external_id": "845210002"},
    "command_botname": {"text": "/status LPR-7K3M9QXA2"},
    "callback_query": {
        "address": BUDI,
        "text": "affirm",
        "callback_id": "4382613998102734561",
        "received_at": NOW,
        "display_name": "Budi",
    },
    "location": {"text": "", "location": Location(-6.921854, 107.617131)},
    "venue": {"location": Location(-6.921854, 107.617131, KOSAMBI)},
    "photo": {
        "text": "Ini foto lubangnya",
        "media": (Media("image/jpeg", provider_id=PHOTO_ID, size=171302),),
    },
    "document": {
        "text": "",
        "media": (
            Media(
                "application/pdf",
                filename="surat_pungutan_sekolah.pdf",
                provider_id=DOCUMENT_ID,
                size=248113,
            ),
        ),
    },
    "contact_own": {"contact": Contact("6281234567890", "Budi Santoso", is_own=True)},
    "contact_other": {"contact": Contact("+62 812-9876-5432", "Siti Aminah", is_own=False)},
    "voice": {"text": "", "unsupported": "voice", "media": ()},
    "sticker": {"text": "", "unsupported": "sticker"},
    "video_note": {"text": "", "unsupported": "video_note"},
    "group_message": {
        "address": "telegram:-1001987654321",
        "text": "",
        "unsupported": "group",
        "display_name": None,
    },
    "edited_message": None,
    "my_chat_member_kicked": None,
    "new_chat_title": None,
}


def test_every_fixture_has_an_expectation() -> None:
    assert {path.stem for path in FIXTURES.glob("*.json")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_maps_to_inbound(name: str) -> None:
    expected = EXPECTED[name]
    inbound = parse_update(load_fixture(name), now=NOW)
    if expected is None:
        assert inbound == []
        return
    assert len(inbound) == 1
    actual = {field: getattr(inbound[0], field) for field in expected}
    assert actual == expected


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_webhook_and_polling_map_alike(name: str, webhook_connector: TelegramConnector) -> None:
    data = load_fixture(name)
    items = webhook_connector.parse(_request(json.dumps(data).encode(), SECRET))
    assert [_without_time(i) for i in items] == [_without_time(i) for i in parse_update(data)]


def test_parse_leaves_the_raw_update_unchanged() -> None:
    data = load_fixture("photo")
    before = copy.deepcopy(data)
    parse_update(data)
    assert data == before


def test_an_unsupported_message_keeps_no_caption() -> None:
    data = load_fixture("voice")
    data["message"]["caption"] = "ini rekaman suara saya"
    assert parse_update(data)[0].text == ""


def test_an_animation_is_unsupported_though_it_carries_a_document() -> None:
    data = load_fixture("document")
    data["message"]["animation"] = {**data["message"]["document"], "duration": 3}
    data["message"]["animation"].update(width=320, height=240)
    (inbound,) = parse_update(data)
    assert (inbound.unsupported, inbound.media) == ("animation", ())


def test_a_channel_post_yields_nothing() -> None:
    post = load_fixture("group_message")["message"]
    post["chat"] = {"id": -1001122334455, "title": "Info Pemkot", "type": "channel"}
    assert parse_update({"update_id": 9, "channel_post": post}) == []


def test_connector_satisfies_the_protocol(webhook_connector: TelegramConnector) -> None:
    assert isinstance(webhook_connector, Connector)
    assert webhook_connector.name == "telegram"
    assert webhook_connector.schemes == ("telegram",)


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {SECRET_HEADER: ""},
        {SECRET_HEADER: "s3cret-Token_for-testX"},
        {SECRET_HEADER: SECRET + "x"},
        {SECRET_HEADER: "rahasia-ñ"},
        {"X-Other-Header": SECRET},
    ],
    ids=["missing", "empty", "forged", "longer", "non-ascii", "other-header"],
)
def test_wrong_or_missing_secret_is_403(
    headers: dict[str, str], webhook_connector: TelegramConnector
) -> None:
    request = WebhookRequest("POST", "https://lapor.example/webhooks/telegram", headers, _body())
    with pytest.raises(WebhookRejected) as rejected:
        webhook_connector.parse(request)
    assert rejected.value.status == 403


def test_the_secret_header_name_is_case_insensitive(webhook_connector: TelegramConnector) -> None:
    headers = {SECRET_HEADER.lower(): SECRET}
    request = WebhookRequest("POST", "https://lapor.example/webhooks/telegram", headers, _body())
    assert [i.text for i in webhook_connector.parse(request)] == ["/start"]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"\xff\xfe\x00",
        b"[1, 2]",
        b'{"message": {"text": "halo"}}',
        b'{"update_id": "845210001"}',
        b'{"update_id": 1, "message": {"text": "halo"}}',
        b'{"update_id": 1, "message": "halo"}',
        b'{"update_id": 1, "message": {"message_id": 1, "date": 1, "chat": {"id": 3}}}',
        b'{"update_id": 1, "message": {"message_id": 1, "date": 1,'
        b' "chat": {"id": 3, "type": "private"}, "text": 5}}',
        b"[" * 100_000,
    ],
)
def test_malformed_body_is_400(body: bytes, webhook_connector: TelegramConnector) -> None:
    with pytest.raises(WebhookRejected) as rejected:
        webhook_connector.parse(_request(body, SECRET))
    assert rejected.value.status == 400


def test_not_an_update_is_a_value_error() -> None:
    with pytest.raises(NotAnUpdate):
        parse_update({"update_id": True})


def test_the_secret_is_checked_before_the_body(webhook_connector: TelegramConnector) -> None:
    with pytest.raises(WebhookRejected) as rejected:
        webhook_connector.parse(_request(b"not json", "wrong"))
    assert rejected.value.status == 403


def test_acknowledge_is_an_empty_200(webhook_connector: TelegramConnector) -> None:
    items = webhook_connector.parse(_request(_body(), SECRET))
    response = webhook_connector.acknowledge(items)
    assert (response.status, response.body) == (200, b"")


@pytest.mark.parametrize("secret", ["", "has space", "x" * 257, "rahasia!"])
def test_connector_refuses_an_unusable_secret(secret: str) -> None:
    with pytest.raises(ValueError, match="secret"):
        TelegramConnector("123:abc", secret, "http://127.0.0.1:9")


def _request(body: bytes, secret: str) -> WebhookRequest:
    headers = {SECRET_HEADER: secret, "Content-Type": "application/json"}
    return WebhookRequest("POST", "https://lapor.example/webhooks/telegram", headers, body)


def _body() -> bytes:
    return json.dumps(load_fixture("command_start")).encode()


def _without_time(item: object) -> Inbound:
    """Callback queries carry no date: compare everything else."""
    assert isinstance(item, Inbound)
    return dataclasses.replace(item, received_at=NOW)
