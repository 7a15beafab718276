"""Recorded Cloud API webhooks -> Inbound / Receipt, signatures, the GET handshake."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from connectors.base import (
    Connector,
    ConversationWindow,
    FetchesMedia,
    Handshake,
    WebhookRejected,
    WebhookRequest,
)
from connectors.messages import DeliveryStatus, FailureReason, Inbound, Location, Media, Receipt
from connectors.meta_whatsapp import MetaWhatsAppConnector
from tests.connectors.meta_whatsapp.conftest import NOW, make_connector
from tests.fakes.meta_graph import FIXTURES, VERIFY_TOKEN, FakeMetaGraph, recorded_payload

BUDI = "whatsapp:+6281234567890"
SITI = "whatsapp:+6285712345678"
AT = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)
WAMID = "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYIDNBMkU0RjhDMUQ5QjZFNzA"
SENT_ID = "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABEYEjQ1RkFCMDg3RjdBMkQxRTQ5AA=="
GRAPH = FakeMetaGraph()  # never started: only signs


def inbound(suffix: str, **fields: Any) -> Inbound:
    base: dict[str, Any] = {
        "address": BUDI,
        "text": "",
        "received_at": AT,
        "external_id": WAMID + suffix,
        "display_name": "Budi Santoso",
    }
    return Inbound(**(base | fields))


def failed(code: str, reason: FailureReason | None) -> list[Inbound | Receipt]:
    return [Receipt(SENT_ID, DeliveryStatus.FAILED, code, reason)]


# fixture -> everything its parse yields, in order
EXPECTED: dict[str, list[Inbound | Receipt]] = {
    "text": [
        inbound("01", text="Jalan di depan Pasar Kosambi berlubang besar, sudah 2 minggu tidak diperbaiki.")
    ],
    "button_reply": [inbound("02", text="affirm")],
    "list_reply": [inbound("03", text="category:infrastruktur")],
    "location": [
        inbound(
            "04",
            location=Location(-6.921854, 107.617131, "Pasar Kosambi, Jl. Ahmad Yani No.221, Kota Bandung"),
        )
    ],
    "location_pin": [inbound("05", location=Location(-6.2, 106.816666))],
    "image": [
        inbound(
            "06",
            text="Ini foto lubangnya",
            media=(Media("image/jpeg", provider_id="1331582911228394"),),
        )
    ],
    "document": [
        inbound(
            "07",
            media=(Media("application/pdf", provider_id="901437651877520", filename="surat-pengantar.pdf"),),
        )
    ],
    "audio": [inbound("08", unsupported="audio")],
    "sticker": [inbound("09", unsupported="sticker")],
    "template_button": [inbound("10", text="status:LPR-7K3M9QXA2")],
    "unsupported": [inbound("11", unsupported="unsupported")],
    "batch_two_messages": [
        inbound("12", text="Selamat pagi"),
        inbound(
            "13",
            address=SITI,
            text="Saya mau lapor",
            display_name="Siti Rahayu",
            received_at=datetime(2026, 3, 2, 1, 30, 3, tzinfo=UTC),
        ),
    ],
    "batch_repeated_id": [inbound("14", text="Halo")],
    "status_sent": [Receipt(SENT_ID, DeliveryStatus.SENT)],
    "status_delivered": [Receipt(SENT_ID, DeliveryStatus.DELIVERED)],
    "status_read": [Receipt(SENT_ID, DeliveryStatus.DELIVERED)],
    "status_failed_131047": failed("131047", FailureReason.OUTSIDE_WINDOW),
    "status_failed_130429": failed("130429", FailureReason.RATE_LIMITED),
    "status_failed_131056": failed("131056", FailureReason.RATE_LIMITED),
    "status_failed_131026": failed("131026", FailureReason.UNDELIVERABLE),
    "status_failed_131051": failed("131051", FailureReason.UNDELIVERABLE),
    "status_failed_131050": failed("131050", FailureReason.OPTED_OUT),
    "status_failed_other": failed("131000", None),
    "reaction": [],
    "status_deleted": [],
    "account_update": [],
    "template_status_update": [],
}


@pytest.fixture(scope="module")
def parser() -> Iterator[MetaWhatsAppConnector]:
    connector = make_connector()
    yield connector
    asyncio.run(connector.aclose())


def test_every_fixture_has_an_expectation() -> None:
    assert sorted(EXPECTED) == sorted(path.stem for path in FIXTURES.glob("*.json"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_recorded_payload(parser: MetaWhatsAppConnector, name: str) -> None:
    assert parser.parse(GRAPH.webhook(recorded_payload(name))) == EXPECTED[name]


def test_the_signature_covers_the_exact_bytes(parser: MetaWhatsAppConnector) -> None:
    """Meta signs what it sent: whitespace and key order are part of the body."""
    body = (FIXTURES / "text.json").read_bytes()
    assert json.loads(body) == recorded_payload("text")
    assert parser.parse(GRAPH.webhook(body)) == EXPECTED["text"]
    compact = json.dumps(recorded_payload("text"), separators=(",", ":")).encode()
    with pytest.raises(WebhookRejected) as rejected:
        parser.parse(GRAPH.webhook(compact, signature=GRAPH.signature(body)))
    assert rejected.value.status == 403


@pytest.mark.parametrize(
    "signature",
    [
        None,
        "",
        "sha256=",
        "sha256=" + "0" * 64,
        "sha1=" + "0" * 40,
        "sha256=not-hex-at-all",
        "sha256=ü" + "0" * 63,
        GRAPH.signature(b"another body"),
        GRAPH.signature(json.dumps(recorded_payload("text")).encode(), secret="wrong-app-secret"),
    ],
    ids=[
        "missing",
        "empty",
        "no-digest",
        "zeros",
        "sha1",
        "not-hex",
        "non-ascii",
        "other-body",
        "wrong-secret",
    ],
)
def test_forged_or_missing_signature_is_403(parser: MetaWhatsAppConnector, signature: str | None) -> None:
    request = GRAPH.webhook(recorded_payload("text"), signature=None)
    if signature is not None:
        request = dataclasses.replace(request, headers={**request.headers, "X-Hub-Signature-256": signature})
    with pytest.raises(WebhookRejected) as rejected:
        parser.parse(request)
    assert rejected.value.status == 403


def test_signature_header_in_upper_case_hex_is_accepted(parser: MetaWhatsAppConnector) -> None:
    body = json.dumps(recorded_payload("text")).encode()
    upper = "sha256=" + GRAPH.signature(body).removeprefix("sha256=").upper()
    assert parser.parse(GRAPH.webhook(body, signature=upper)) == EXPECTED["text"]


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"[]",
        b'{"object": "page", "entry": []}',
        b'{"object": "whatsapp_business_account", "entry": {}}',
        b'{"object": "whatsapp_business_account", "entry": [{"changes": [{"field": "messages"}]}]}',
    ],
    ids=["empty", "not-json", "list", "other-object", "entry-not-list", "no-value"],
)
def test_signed_but_malformed_is_400(parser: MetaWhatsAppConnector, body: bytes) -> None:
    with pytest.raises(WebhookRejected) as rejected:
        parser.parse(GRAPH.webhook(body))
    assert rejected.value.status == 400


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("from",), "not-a-number"),
        (("from",), "+62 812"),
        (("id",), None),
        (("type",), 7),
        (("text",), "a string"),
        (("location", "latitude"), 91),
        (("location", "longitude"), "nan"),
    ],
)
def test_malformed_message_is_400(parser: MetaWhatsAppConnector, path: tuple[str, ...], value: Any) -> None:
    payload = recorded_payload("location" if path[0] == "location" else "text")
    message = payload["entry"][0]["changes"][0]["value"]["messages"][0]
    target = message
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(WebhookRejected) as rejected:
        parser.parse(GRAPH.webhook(payload))
    assert rejected.value.status == 400


def test_a_missing_timestamp_takes_the_arrival_time(parser: MetaWhatsAppConnector) -> None:
    payload = recorded_payload("text")
    del payload["entry"][0]["changes"][0]["value"]["messages"][0]["timestamp"]
    [item] = parser.parse(GRAPH.webhook(payload))
    assert isinstance(item, Inbound)
    assert item.received_at == NOW


def test_get_is_not_parsed(parser: MetaWhatsAppConnector) -> None:
    request = dataclasses.replace(GRAPH.webhook(recorded_payload("text")), method="GET")
    with pytest.raises(WebhookRejected) as rejected:
        parser.parse(request)
    assert rejected.value.status == 405


def test_acknowledge_is_an_empty_200(parser: MetaWhatsAppConnector) -> None:
    response = parser.acknowledge(EXPECTED["text"])
    assert (response.status, response.body) == (200, b"")


# -- the GET handshake -----------------------------------------------------------


def handshake_request(**query: str) -> WebhookRequest:
    return WebhookRequest("GET", "https://lapor.example.go.id/webhooks/meta/whatsapp", {}, b"", query)


def test_handshake_echoes_the_challenge(parser: MetaWhatsAppConnector) -> None:
    request = handshake_request(
        **{"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"}
    )
    response = parser.handshake(request)
    assert (response.status, response.body, response.content_type) == (200, b"1158201444", "text/plain")


@pytest.mark.parametrize(
    "query",
    [
        {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1158201444"},
        {"hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1158201444"},
        {"hub.mode": "subscribe", "hub.challenge": "1158201444"},
        {"hub.mode": "unsubscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"},
        {"hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"},
        {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN},
        {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1\r\nSet-Cookie: x"},
        {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "9" * 257},
    ],
    ids=[
        "wrong-token",
        "empty-token",
        "no-token",
        "wrong-mode",
        "no-mode",
        "no-challenge",
        "control-chars",
        "oversized",
    ],
)
def test_handshake_refused(parser: MetaWhatsAppConnector, query: dict[str, str]) -> None:
    with pytest.raises(WebhookRejected) as rejected:
        parser.handshake(handshake_request(**query))
    assert rejected.value.status == 403


def test_the_connector_offers_its_capabilities(parser: MetaWhatsAppConnector) -> None:
    assert isinstance(parser, Connector)
    assert isinstance(parser, Handshake)
    assert isinstance(parser, FetchesMedia)
    assert isinstance(parser, ConversationWindow)
    assert parser.window.total_seconds() == 24 * 3600
    assert parser.has_template("status_update")
    assert not parser.has_template("unknown")
    assert (parser.name, parser.schemes) == ("meta_whatsapp", ("whatsapp",))
