"""Render a channel-neutral ``Outbound`` for Telegram: text parts and one keyboard.

Text is always sent as plain text (no ``parse_mode``), so a citizen's words
quoted back can never be read as HTML or Markdown.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from connectors.messages import Ask, Choice, Outbound

MAX_TEXT = 4096  # Telegram counts UTF-16 code units
MAX_CALLBACK_DATA = 64  # bytes
MAX_PLACEHOLDER = 64
# Parts shorter than this share of the limit are not worth a cleaner boundary.
_MIN_PART_SHARE = 0.5
_BOUNDARIES = ("\n\n", "\n", " ")

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove


@dataclass(frozen=True, slots=True)
class KeyboardLabels:
    """Labels of the buttons the connector adds itself (``Outbound`` has no language).

    The bot may pass labels from its text catalogue; the defaults are bilingual.
    """

    location: str = "📍 Kirim lokasi / Send location"
    location_hint: str = "Atau ketik alamatnya / Or type the address"
    contact: str = "📱 Kirim nomor saya / Send my number"
    contact_hint: str = "Atau ketik nomor HP / Or type the number"


def render_markup(outbound: Outbound, labels: KeyboardLabels) -> Markup:
    """The keyboard for the last part of ``outbound``; raise ``ValueError`` if unsendable.

    ``Ask.LOCATION``/``Ask.CONTACT`` give a one-time reply keyboard with the
    request button; the choices, if any, become plain buttons below it whose
    *title* comes back as text (reply keyboards cannot carry a payload).
    Otherwise choices become an inline keyboard, one button a row, whose payload
    comes back as callback data; and a message without choices removes any
    reply keyboard still shown.
    """
    if outbound.ask is Ask.LOCATION:
        button = KeyboardButton(labels.location, request_location=True)
        return _reply_keyboard(button, outbound.choices, labels.location_hint)
    if outbound.ask is Ask.CONTACT:
        button = KeyboardButton(labels.contact, request_contact=True)
        return _reply_keyboard(button, outbound.choices, labels.contact_hint)
    if outbound.choices:
        return InlineKeyboardMarkup([[_inline_button(choice)] for choice in outbound.choices])
    return ReplyKeyboardRemove()


def _reply_keyboard(button: KeyboardButton, choices: tuple[Choice, ...], hint: str) -> ReplyKeyboardMarkup:
    rows = [[button], *([KeyboardButton(_title(choice))] for choice in choices)]
    return ReplyKeyboardMarkup(
        rows,
        resize_keyboard=True,
        one_time_keyboard=True,
        input_field_placeholder=hint[:MAX_PLACEHOLDER],
    )


def _inline_button(choice: Choice) -> InlineKeyboardButton:
    size = len(choice.payload.encode("utf-8"))
    if not 1 <= size <= MAX_CALLBACK_DATA:
        raise ValueError(f"choice payload is {size} bytes; Telegram allows 1 to 64")
    return InlineKeyboardButton(_title(choice), callback_data=choice.payload)


def _title(choice: Choice) -> str:
    if not choice.title.strip():
        raise ValueError("choice title is empty")
    return choice.title


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (an emoji outside the BMP counts twice)."""
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Split ``text`` into parts of at most ``limit`` UTF-16 units.

    Cuts at the last paragraph break, else line break, else space that keeps a
    part at least half full; a single overlong word is cut hard. Whitespace at
    the cuts is dropped; text within a part is unchanged.
    """
    parts: list[str] = []
    rest = text
    while utf16_len(rest) > limit:
        cut = max(1, _cut(rest[: _fit(rest, limit)], limit))  # always make progress
        part, rest = rest[:cut].rstrip(), rest[cut:].lstrip()
        if part:
            parts.append(part)
    if rest or not parts:
        parts.append(rest)
    return parts


def _fit(text: str, limit: int) -> int:
    """The longest prefix length (in code points) of ``text`` within ``limit``."""
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return index
    return len(text)


def _cut(head: str, limit: int) -> int:
    for boundary in _BOUNDARIES:
        at = head.rfind(boundary)
        if at >= limit * _MIN_PART_SHARE:
            return at
    return len(head)
