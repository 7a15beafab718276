"""Outbound messages survive the outbox's JSON: what is queued is what is sent."""

from __future__ import annotations

import json

from bot.delivery.outbox_payload import from_payload, to_payload
from connectors.messages import Ask, Choice, Media, Outbound, Template


def test_every_field_round_trips_through_json() -> None:
    message = Outbound(
        address="whatsapp:+6281234567890",
        text="Kabar laporan LPR-1RDT56CJ",
        choices=(Choice("Ya", "yes"), Choice("Tidak", "no")),
        short_text="LPR-1RDT56CJ",
        ask=Ask.LOCATION,
        media=(Media("image/jpeg", url="https://files.example.id/a.jpg", filename="a.jpg"),),
        template=Template("status_update", {"1": "LPR-1RDT56CJ", "2": "Selesai"}),
        key="push.resolved",
        language="en",
    )
    assert from_payload(json.loads(json.dumps(to_payload(message)))) == message


def test_media_bytes_never_enter_the_outbox() -> None:
    message = Outbound(address="telegram:1", text="foto", media=(Media("image/png", content=b"\x89PNG"),))
    assert "media" not in to_payload(message)
