"""How a reply looks on each simulated phone, rendered by the real channel code.

Each phone gets a small JSON structure the page draws: ``bubbles`` (one per
message the provider would deliver) and, on Telegram, the ``keyboard``. The
renderers are the connectors' own (``connectors.telegram.render``,
``connectors.sms``, the WhatsApp text composition of
``connectors.twilio.whatsapp``), so the audience sees the real differences:
inline keyboards, numbered choices, 160-character segments.
"""

from __future__ import annotations

from typing import Any, Literal

from telegram import InlineKeyboardMarkup, ReplyKeyboardMarkup

from connectors.messages import Outbound
from connectors.sms import (
    GSM7_EXTENSION,
    GSM7_PART,
    UCS2_PART,
    count_segments,
    render_choices,
    render_sms,
)
from connectors.telegram.render import KeyboardLabels, render_markup
from connectors.telegram.render import split_text as telegram_split
from connectors.twilio.whatsapp import MAX_BODY_CHARS
from connectors.twilio.whatsapp import split_text as whatsapp_split

Phone = Literal["telegram", "whatsapp", "sms"]
PHONES: tuple[Phone, ...] = ("telegram", "whatsapp", "sms")
SMS_MAX_SEGMENTS = 2  # the Twilio SMS connector's default
TELEGRAM_LABELS = KeyboardLabels()


def phone_named(name: str) -> Phone | None:
    return next((phone for phone in PHONES if phone == name), None)


def render_phone(phone: Phone, outbound: Outbound, language: str = "id") -> dict[str, Any]:
    """The JSON for ``outbound`` on ``phone``: ``{"bubbles": [...], "keyboard": ...}``."""
    if phone == "telegram":
        return telegram(outbound)
    if phone == "whatsapp":
        return whatsapp(outbound, language)
    return sms(outbound, language)


def telegram(outbound: Outbound) -> dict[str, Any]:
    """Plain-text parts of at most 4,096 UTF-16 units; the keyboard goes with the last."""
    parts = telegram_split(outbound.text)
    return {"bubbles": [{"text": part} for part in parts], "keyboard": _keyboard(outbound)}


def _keyboard(outbound: Outbound) -> dict[str, Any]:
    markup = render_markup(outbound, TELEGRAM_LABELS)
    if isinstance(markup, InlineKeyboardMarkup):
        rows = [[{"text": b.text, "data": b.callback_data} for b in row] for row in markup.inline_keyboard]
        return {"kind": "inline", "rows": rows}
    if isinstance(markup, ReplyKeyboardMarkup):
        rows = [
            [{"text": b.text, "location": bool(b.request_location)} for b in row] for row in markup.keyboard
        ]
        return {"kind": "reply", "rows": rows, "placeholder": markup.input_field_placeholder or ""}
    return {"kind": "remove", "rows": []}


def whatsapp_text(outbound: Outbound, language: str) -> str:
    """The body the WhatsApp connector sends: the text, then the numbered choices.

    The same composition as ``TwilioWhatsAppConnector._send_text``, which has
    no public pure function yet.
    """
    choices = render_choices(outbound.choices, language)
    return "\n\n".join(part for part in (outbound.text.strip(), choices) if part)


def whatsapp(outbound: Outbound, language: str) -> dict[str, Any]:
    """Free-form text split at Twilio's 1,600 characters; choices as a numbered list."""
    parts = whatsapp_split(whatsapp_text(outbound, language), MAX_BODY_CHARS)
    return {"bubbles": [{"text": part} for part in parts], "keyboard": None}


def sms(outbound: Outbound, language: str) -> dict[str, Any]:
    """The SMS variant in GSM-7, trimmed to two segments, with the segments shown."""
    body = render_sms(outbound, language=language, max_segments=SMS_MAX_SEGMENTS)
    counted = count_segments(body)
    bubble = {
        "text": body,
        "segments": split_segments(body),
        "encoding": counted.encoding,
        "units": counted.units,
        "count": counted.count,
    }
    return {"bubbles": [bubble], "keyboard": None}


def split_segments(text: str) -> list[str]:
    """The parts a multipart SMS is sent in (153 GSM-7 septets or 67 UCS-2 units each).

    Agrees with ``connectors.sms.count_segments``: an extension character
    (two septets) or a surrogate pair is never split across parts.
    """
    counted = count_segments(text)
    if counted.count == 1:
        return [text]
    limit = GSM7_PART if counted.encoding == "gsm7" else UCS2_PART
    parts, current, used = [], "", 0
    for char in text:
        cost = _cost(char, counted.encoding)
        if used + cost > limit:
            parts.append(current)
            current, used = "", 0
        current += char
        used += cost
    return [*parts, current]


def _cost(char: str, encoding: str) -> int:
    if encoding == "gsm7":
        return 2 if char in GSM7_EXTENSION else 1
    return 2 if ord(char) > 0xFFFF else 1
