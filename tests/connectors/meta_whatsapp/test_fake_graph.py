"""The fake Graph API refuses what Meta refuses, so connector tests mean something."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from connectors.messages import DeliveryStatus, FailureReason, Outbound, Receipt
from connectors.meta_whatsapp import MetaWhatsAppConnector
from tests.fakes.meta_graph import PHONE_NUMBER_ID, TOKEN, FakeMetaGraph

BUDI = "whatsapp:+6281234567890"


def button(title: str, payload: str = "p") -> dict[str, Any]:
    return {"type": "reply", "reply": {"id": payload, "title": title}}


def interactive(kind: str, action: dict[str, Any], body: str = "Pilih:") -> dict[str, Any]:
    return {"type": "interactive", "interactive": {"type": kind, "body": {"text": body}, "action": action}}


def rows(count: int, title: str = "Baris") -> dict[str, Any]:
    return {
        "button": "Pilih",
        "sections": [{"rows": [{"id": f"r{n}", "title": title} for n in range(count)]}],
    }


@pytest.mark.parametrize(
    "message",
    [
        {"type": "text", "text": {"body": "x" * 4097}},
        {"type": "text", "text": {"body": ""}},
        interactive("button", {"buttons": [button("a", str(n)) for n in range(4)]}),
        interactive("button", {"buttons": [button("a" * 21)]}),
        interactive("list", rows(11)),
        interactive("list", rows(1, "t" * 25)),
        interactive("button", {"buttons": [button("Ya")]}, body="b" * 1025),
        {"type": "template", "template": {"name": "x"}},
    ],
    ids=[
        "long-text",
        "empty-text",
        "4-buttons",
        "long-button",
        "11-rows",
        "long-row",
        "long-body",
        "no-lang",
    ],
)
async def test_invalid_messages_are_refused_with_131009(
    meta_graph: FakeMetaGraph, message: dict[str, Any]
) -> None:
    async with httpx.AsyncClient() as http:
        response = await http.post(
            f"{meta_graph.url}/v21.0/{PHONE_NUMBER_ID}/messages",
            json={"messaging_product": "whatsapp", "to": "6281234567890", **message},
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == 131009
    assert meta_graph.messages == []


async def test_a_wrong_number_id_or_version_is_refused(meta_graph: FakeMetaGraph) -> None:
    body = {"messaging_product": "whatsapp", "to": "6281234567890", "type": "text", "text": {"body": "x"}}
    headers = {"Authorization": f"Bearer {TOKEN}"}
    async with httpx.AsyncClient() as http:
        wrong_number = await http.post(f"{meta_graph.url}/v21.0/1/messages", json=body, headers=headers)
        wrong_version = await http.post(
            f"{meta_graph.url}/v1.0/{PHONE_NUMBER_ID}/messages", json=body, headers=headers
        )
    assert (wrong_number.status_code, wrong_version.status_code) == (400, 400)
    assert [r.status for r in meta_graph.requests] == [400, 400]


async def test_a_status_webhook_matches_the_sent_message(
    connector: MetaWhatsAppConnector, meta_graph: FakeMetaGraph
) -> None:
    result = await connector.send(Outbound(BUDI, "Halo"))
    [message_id] = result.provider_message_ids
    request = meta_graph.webhook(meta_graph.status_payload(message_id, "failed", error_code=131047))
    assert connector.parse(request) == [
        Receipt(message_id, DeliveryStatus.FAILED, "131047", FailureReason.OUTSIDE_WINDOW)
    ]
