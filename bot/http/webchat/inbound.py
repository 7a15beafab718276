"""What a chat page posts, checked and turned into an ``Inbound``."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from fastapi import Request
from pydantic import BaseModel, Field, ValidationError

from connectors.messages import Inbound, Location

MAX_BODY = 64 * 1024
# Longer texts still reach the engine, which answers that they are too long.
MAX_TEXT = 20_000


class Position(BaseModel):
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)


class ChatMessage(BaseModel):
    """``{"text": str, "id": client message id (retries are deduplicated), "location"?}``."""

    text: str = Field(default="", max_length=MAX_TEXT)
    id: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-]{8,64}$")
    location: Position | None = None


class BadMessage(ValueError):
    """The body is not a chat message; the text says why."""


async def read_message(request: Request) -> ChatMessage:
    """The posted message, or ``BadMessage``."""
    body = await request.body()
    if len(body) > MAX_BODY:
        raise BadMessage(f"body larger than {MAX_BODY} bytes")
    try:
        message = ChatMessage.model_validate(json.loads(body.decode("utf-8", "replace")))
    except (ValueError, ValidationError) as exc:
        raise BadMessage("expected JSON {'text': str, 'id'?: str, 'location'?: {...}}") from exc
    if not message.text.strip() and message.location is None:
        raise BadMessage("empty message")
    return message


def to_inbound(address: str, secret: str, message: ChatMessage, now: datetime) -> Inbound:
    """The ``Inbound`` for ``address``; ``secret`` scopes the client's message id.

    Dedup ids are per channel, so the client's id is hashed with the
    conversation's secret: one page cannot collide with another's ids.
    """
    external_id = None
    if message.id:
        external_id = hashlib.sha256(f"{secret}:{message.id}".encode()).hexdigest()[:40]
    location = None
    if message.location is not None:
        location = Location(message.location.latitude, message.location.longitude)
    return Inbound(
        address=address, text=message.text, received_at=now, external_id=external_id, location=location
    )
