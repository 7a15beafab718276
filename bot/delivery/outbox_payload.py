"""Outbound messages as JSON, for the outbox and for live pushes."""

from __future__ import annotations

from typing import Any

from connectors.messages import Ask, Choice, Media, Outbound, Template


def to_payload(message: Outbound) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "address": message.address,
        "text": message.text,
        "key": message.key,
        "language": message.language,
    }
    if message.short_text and message.short_text != message.text:
        payload["short_text"] = message.short_text
    if message.choices:
        payload["choices"] = [[c.title, c.payload] for c in message.choices]
    if message.ask is not Ask.NONE:
        payload["ask"] = message.ask.value
    # By reference only: bytes never go into the outbox.
    if referenced := [_media(m) for m in message.media if m.url]:
        payload["media"] = referenced
    if message.template:
        payload["template"] = {
            "name": message.template.name,
            "variables": message.template.variables,
        }
    return payload


def from_payload(payload: dict[str, Any]) -> Outbound:
    template = payload.get("template")
    return Outbound(
        address=payload["address"],
        text=payload["text"],
        short_text=payload.get("short_text"),
        choices=tuple(Choice(title=t, payload=p) for t, p in payload.get("choices", [])),
        ask=Ask(payload.get("ask", "")),
        media=tuple(Media(**item) for item in payload.get("media", [])),
        template=Template(template["name"], dict(template["variables"])) if template else None,
        key=payload.get("key", ""),
        language=payload.get("language", "id"),
    )


def _media(media: Media) -> dict[str, Any]:
    fields = {"content_type": media.content_type, "url": media.url, "filename": media.filename}
    return {key: value for key, value in fields.items() if value is not None}
