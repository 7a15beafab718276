"""Render a channel-neutral ``Outbound`` as Cloud API message objects (pure).

Each object is one message's ``type`` and body; the client adds
``messaging_product`` and ``to``. Text is split at 4,096 characters. Choices
become reply buttons when there are at most 3 with titles of at most 20
characters, otherwise list messages of at most 10 rows ("pages": 15 categories
are a list of 10, then one of 5). Interactive bodies hold at most 1,024
characters, so a long text goes first as plain text messages.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from connectors.messages import Ask, Choice, Media, Outbound, Template

MAX_TEXT = 4096
MAX_INTERACTIVE_BODY = 1024
MAX_BUTTONS = 3
MAX_BUTTON_TITLE = 20
MAX_BUTTON_ID = 256
MAX_LIST_ROWS = 10
MAX_ROW_TITLE = 24
MAX_ROW_DESCRIPTION = 72
MAX_ROW_ID = 200
MAX_LIST_BUTTON = 20
_BOUNDARIES = ("\n\n", "\n", " ")

Message = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Labels:
    """The connector's own words, by ``Outbound.language``."""

    list_button: str  # opens a list message
    more_choices: str  # the body of a list's second page
    choose: str  # the body when an interactive has no text of its own
    or_choose: str  # the body of choices that follow a location request


LABELS: Mapping[str, Labels] = {
    "id": Labels("Pilih", "Pilihan lainnya:", "Silakan pilih:", "Atau pilih:"),
    "en": Labels("Choose", "More choices:", "Please choose:", "Or choose:"),
}


@dataclass(frozen=True, slots=True)
class ApprovedTemplate:
    """A template as WhatsApp Manager knows it."""

    name: str
    language: str


class Unsendable(ValueError):
    """``outbound`` cannot be rendered for WhatsApp (no text, unknown template...)."""


def labels_for(language: str) -> Labels:
    return LABELS.get(language, LABELS["id"])


def render(outbound: Outbound, templates: Mapping[str, ApprovedTemplate]) -> list[Message]:
    """The messages that carry ``outbound``, in sending order."""
    if outbound.template is not None:
        return [render_template(outbound.template, templates)]
    labels = labels_for(outbound.language)
    interactive = bool(outbound.choices) or outbound.ask is Ask.LOCATION
    parts, body = _text_parts(outbound.text.strip(), interactive)
    if not (parts or body or interactive or outbound.media):
        raise Unsendable("message text is empty")
    messages = [_text(part) for part in parts]
    if outbound.ask is Ask.LOCATION:
        messages.append(_location_request(body or labels.choose))
        if outbound.choices:
            messages.extend(render_choices(outbound.choices, labels.or_choose, labels))
    elif outbound.choices:
        messages.extend(render_choices(outbound.choices, body or labels.choose, labels))
    messages.extend(_media(item) for item in outbound.media if item.url)
    return messages


def _text_parts(text: str, interactive: bool) -> tuple[list[str], str]:
    """The plain text messages, and the end of the text kept for an interactive body."""
    parts = split_text(text, MAX_TEXT) if text else []
    if not (interactive and parts):
        return parts, ""
    head, tail = split_tail(parts[-1], MAX_INTERACTIVE_BODY)
    return [*parts[:-1], *([head] if head else [])], tail


def render_template(template: Template, templates: Mapping[str, ApprovedTemplate]) -> Message:
    """A template message; the variables ``"1"``, ``"2"``... fill the body in order."""
    approved = templates.get(template.name)
    if approved is None:
        raise Unsendable(f"no WhatsApp template configured for {template.name!r}")
    body: Message = {"name": approved.name, "language": {"code": approved.language}}
    if template.variables:
        parameters = [{"type": "text", "text": value} for _, value in _ordered(template.variables)]
        body["components"] = [{"type": "body", "parameters": parameters}]
    return {"type": "template", "template": body}


def _ordered(variables: Mapping[str, str]) -> list[tuple[str, str]]:
    def position(item: tuple[str, str]) -> tuple[int, str]:
        key = item[0]
        return (int(key), key) if key.isascii() and key.isdigit() else (1 << 30, key)

    return sorted(variables.items(), key=position)


def render_choices(choices: Sequence[Choice], body: str, labels: Labels) -> list[Message]:
    """Reply buttons when they fit, else list pages of at most 10 rows."""
    _check_ids(choices)
    if len(choices) <= MAX_BUTTONS and all(1 <= len(c.title) <= MAX_BUTTON_TITLE for c in choices):
        return [_buttons(choices, body)]
    pages = [choices[i : i + MAX_LIST_ROWS] for i in range(0, len(choices), MAX_LIST_ROWS)]
    bodies = [body, *[labels.more_choices] * (len(pages) - 1)]
    return [_list(page, text, labels) for page, text in zip(pages, bodies, strict=True)]


def _check_ids(choices: Sequence[Choice]) -> None:
    payloads = [choice.payload for choice in choices]
    if len(set(payloads)) != len(payloads):
        raise Unsendable("choice payloads must be unique")
    for payload in payloads:
        if not 1 <= len(payload) <= MAX_ROW_ID:
            raise Unsendable(f"choice payload is {len(payload)} characters; WhatsApp allows 1 to 200")


def _buttons(choices: Sequence[Choice], body: str) -> Message:
    buttons = [{"type": "reply", "reply": {"id": c.payload, "title": c.title}} for c in choices]
    interactive = {"type": "button", "body": {"text": body}, "action": {"buttons": buttons}}
    return {"type": "interactive", "interactive": interactive}


def _list(choices: Sequence[Choice], body: str, labels: Labels) -> Message:
    rows = [_row(choice) for choice in choices]
    action = {"button": labels.list_button[:MAX_LIST_BUTTON], "sections": [{"rows": rows}]}
    interactive = {"type": "list", "body": {"text": body}, "action": action}
    return {"type": "interactive", "interactive": interactive}


def _row(choice: Choice) -> Message:
    """A list row; a title too long for 24 characters is cut, and given whole below."""
    title = choice.title.strip() or choice.payload
    row: Message = {"id": choice.payload, "title": shorten(title, MAX_ROW_TITLE)}
    if len(title) > MAX_ROW_TITLE:
        row["description"] = shorten(title, MAX_ROW_DESCRIPTION)
    return row


def shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _text(body: str) -> Message:
    return {"type": "text", "text": {"body": body, "preview_url": False}}


def _location_request(body: str) -> Message:
    interactive = {
        "type": "location_request_message",
        "body": {"text": body},
        "action": {"name": "send_location"},
    }
    return {"type": "interactive", "interactive": interactive}


def _media(media: Media) -> Message:
    kind = "image" if media.content_type.startswith("image/") else "document"
    body: Message = {"link": media.url}
    if kind == "document" and media.filename:
        body["filename"] = media.filename
    return {"type": kind, kind: body}


def split_text(text: str, limit: int) -> list[str]:
    """Parts of at most ``limit`` characters, cut at a paragraph, line or word end."""
    parts: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = _cut(rest, limit)
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    return [*parts, rest] if rest or not parts else parts


def split_tail(text: str, limit: int) -> tuple[str, str]:
    """``(head, tail)`` with ``tail`` at most ``limit`` characters, cut at a boundary."""
    if len(text) <= limit:
        return "", text
    start = len(text) - limit
    for boundary in _BOUNDARIES:
        at = text.find(boundary, start)
        if at != -1 and at + len(boundary) < len(text):
            return text[:at].rstrip(), text[at + len(boundary) :].lstrip()
    return text[:start], text[start:]


def _cut(text: str, limit: int) -> int:
    for boundary in _BOUNDARIES:
        at = text.rfind(boundary, limit // 2, limit + 1)
        if at > 0:
            return at
    return limit
