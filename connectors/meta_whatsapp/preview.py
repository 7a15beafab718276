"""How a reply looks on a WhatsApp phone, for the demo page, from the real renderer.

``{"bubbles": [{"text": ...}], "buttons": [...]}``: one bubble per message the
Cloud API delivers (a list's second page is its own bubble), and the buttons
the citizen can tap, each with the bubble it belongs to. A template shows its
name and variables, since its wording lives at Meta.
"""

from __future__ import annotations

from typing import Any

from connectors.messages import Outbound
from connectors.meta_whatsapp.render import Unsendable, render


def preview(outbound: Outbound, language: str) -> dict[str, Any]:
    """The bubbles and buttons ``outbound`` gives on WhatsApp, in ``language``'s labels."""
    if outbound.template is not None:
        variables = ", ".join(v for _, v in sorted(outbound.template.variables.items()))
        return {"bubbles": [{"text": f"[{outbound.template.name}] {variables}".strip()}], "buttons": []}
    local = Outbound(
        address=outbound.address,
        text=outbound.text,
        choices=outbound.choices,
        ask=outbound.ask,
        media=outbound.media,
        language=language,
    )
    try:
        messages = render(local, {})
    except Unsendable:
        return {"bubbles": [], "buttons": []}
    bubbles: list[dict[str, Any]] = []
    buttons: list[dict[str, Any]] = []
    for index, message in enumerate(messages):
        text, taps = _bubble(message)
        bubbles.append({"text": text})
        buttons.extend({**tap, "bubble": index} for tap in taps)
    return {"bubbles": bubbles, "buttons": buttons}


def _bubble(message: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    kind = message["type"]
    if kind == "text":
        return message["text"]["body"], []
    if kind != "interactive":
        return f"[{kind}]", []
    interactive = message["interactive"]
    body: str = interactive["body"]["text"]
    if interactive["type"] == "button":
        replies = [b["reply"] for b in interactive["action"]["buttons"]]
        return body, [{"kind": "reply", "title": r["title"], "payload": r["id"]} for r in replies]
    if interactive["type"] == "list":
        rows = [row for section in interactive["action"]["sections"] for row in section["rows"]]
        label = interactive["action"]["button"]
        return body, [{"kind": "list", "list": label, "title": r["title"], "payload": r["id"]} for r in rows]
    return body, [{"kind": "location", "title": "📍", "payload": ""}]
