"""Replies and pushes as the JSON the chat page renders (as text, never as HTML)."""

from __future__ import annotations

from typing import Any

from connectors.messages import Outbound


def web_message(outbound: Outbound, *, push: bool = False) -> dict[str, Any]:
    """``{"text", "choices": [{"title", "payload"}], "ask", "key", "push"}``.

    Choices become buttons; ``ask`` is ``"location"`` when the bot asks where
    (the page then offers the browser's location); ``push`` marks a status
    update that arrived without the citizen writing.
    """
    return {
        "text": outbound.text,
        "choices": [{"title": c.title, "payload": c.payload} for c in outbound.choices],
        "ask": outbound.ask.value,
        "key": outbound.key,
        "push": push,
    }
