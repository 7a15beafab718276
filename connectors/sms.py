"""SMS rendering shared by every SMS transport (Twilio SMS, Kannel).

An SMS is billed per segment: 160 GSM-7 characters (153 per part once split),
but a single character outside GSM-7 (an emoji, a curly quote) switches the
whole message to UCS-2 at 70 (67) characters. So outbound text is forced into
GSM-7 and trimmed to ``max_segments``; choices become numbers the citizen
types back, which ``resolve_numbered_reply`` maps to the choice's payload.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from connectors.messages import Choice, Outbound

# GSM 03.38 default alphabet; ESC (0x1B) is left out on purpose.
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# Characters of the extension table: sent as ESC + char, so they cost two septets.
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")

GSM7_SINGLE, GSM7_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67

_REPLACEMENTS = {
    **dict.fromkeys("‘’‚‛′`´", "'"),
    **dict.fromkeys("“”„‟″«»", '"'),
    **dict.fromkeys("‐‑‒–—―−", "-"),
    **dict.fromkeys("•·●▪", "-"),
    **dict.fromkeys("\t\u00a0\u2002\u2003\u2007\u2009\u200a\u202f\u3000", " "),
    "…": "...",
    "×": "x",
    "©": "(c)",
    "®": "(R)",
    "™": "TM",
    "ç": "c",
}
# Unicode categories dropped outright: symbols (emoji), marks, format and
# private-use characters. Anything else outside GSM-7 becomes "?".
_DROPPED_CATEGORIES = frozenset({"So", "Sk", "Mn", "Mc", "Me", "Cf", "Co", "Cs", "Cn", "Cc"})
_SPACES = re.compile(r"[ ]{2,}")


def to_gsm7(text: str) -> str:
    """Rewrite ``text`` with GSM-7 characters only.

    Curly quotes and dashes become ASCII, accented letters lose their accents
    (unless GSM-7 has them, like é), emoji and other symbols are removed.
    """
    out = "".join(_gsm7_char(char) for char in text.replace("\r\n", "\n"))
    lines = (_SPACES.sub(" ", line).rstrip() for line in out.split("\n"))
    return "\n".join(lines).strip()


def _gsm7_char(char: str) -> str:
    if char in GSM7_BASIC or char in GSM7_EXTENSION:
        return char
    if char in _REPLACEMENTS:
        return _REPLACEMENTS[char]
    decomposed = unicodedata.normalize("NFKD", char)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    if base and all(c in GSM7_BASIC or c in GSM7_EXTENSION for c in base):
        return base
    if unicodedata.category(char) in _DROPPED_CATEGORIES:
        return ""
    return "?"


def is_gsm7(text: str) -> bool:
    """True when every character of ``text`` is in the GSM-7 alphabet."""
    return all(c in GSM7_BASIC or c in GSM7_EXTENSION for c in text)


@dataclass(frozen=True, slots=True)
class Segments:
    """How an SMS is encoded and split: ``units`` are septets or UTF-16 units."""

    encoding: Literal["gsm7", "ucs2"]
    units: int
    count: int


def count_segments(text: str) -> Segments:
    """Count the segments ``text`` needs (GSM-7 160/153, UCS-2 70/67).

    Extension-table characters cost two septets and, like UTF-16 surrogate
    pairs, are never split across two parts.
    """
    if is_gsm7(text):
        costs = [2 if c in GSM7_EXTENSION else 1 for c in text]
        return Segments("gsm7", sum(costs), _pack(costs, GSM7_SINGLE, GSM7_PART))
    costs = [2 if ord(c) > 0xFFFF else 1 for c in text]
    return Segments("ucs2", sum(costs), _pack(costs, UCS2_SINGLE, UCS2_PART))


def _pack(costs: Sequence[int], single: int, part: int) -> int:
    total = sum(costs)
    if total <= single:
        return 1
    parts, used = 1, 0
    for cost in costs:
        if used + cost > part:
            parts, used = parts + 1, 0
        used += cost
    return parts


_HINTS = {
    "id": ("Balas {numbers}.", " atau ", "Balas angka {first}-{last}."),
    "en": ("Reply {numbers}.", " or ", "Reply with a number {first}-{last}."),
}


def render_choices(choices: Sequence[Choice], language: str = "id") -> str:
    """Numbered choices and a reply hint: ``1. Ya`` / ``2. Tidak`` / ``Balas 1 atau 2.``"""
    if not choices:
        return ""
    if all(choice.title == str(i) for i, choice in enumerate(choices, start=1)):
        return _reply_hint(len(choices), language)  # "1. 1", "2. 2" says nothing: the hint does
    lines = [f"{i}. {to_gsm7(choice.title)}" for i, choice in enumerate(choices, start=1)]
    return "\n".join([*lines, _reply_hint(len(choices), language)])


def _reply_hint(count: int, language: str) -> str:
    template, last_join, range_template = _HINTS.get(language, _HINTS["id"])
    if count > 4:
        return range_template.format(first=1, last=count)
    numbers = [str(n) for n in range(1, count + 1)]
    joined = numbers[0] if count == 1 else ", ".join(numbers[:-1]) + last_join + numbers[-1]
    return template.format(numbers=joined)


def render_sms(outbound: Outbound, *, language: str = "id", max_segments: int = 2) -> str:
    """The SMS text for ``outbound``: short text, numbered choices, GSM-7, trimmed.

    ``short_text`` is preferred over ``text``. When the result would need more
    than ``max_segments`` segments the message text (never the choices) is cut
    at a word boundary and ends with ``...``.
    """
    body = to_gsm7(outbound.short_text or outbound.text)
    tail = render_choices(outbound.choices, language)
    return fit_segments(body, tail, max_segments)


def fit_segments(body: str, tail: str, max_segments: int) -> str:
    """Join ``body`` and ``tail``, cutting ``body`` until it fits ``max_segments``."""
    joined = "\n".join(part for part in (body, tail) if part)
    if count_segments(joined).count <= max_segments:
        return joined
    words = body.split(" ")
    while words:
        words.pop()
        shortened = " ".join(words).rstrip(" ,.;:-\n") + "..."
        candidate = "\n".join(part for part in (shortened, tail) if part)
        if count_segments(candidate).count <= max_segments:
            return candidate
    return _hard_cut(joined, max_segments)


def _hard_cut(text: str, max_segments: int) -> str:
    while count_segments(text).count > max_segments:
        text = text[:-1]
    return text


_NUMBER = re.compile(r"^[#(\[]?\s*(\d{1,2})\s*[.)\]]?$")


def resolve_numbered_reply(text: str, choices: Sequence[Choice]) -> str | None:
    """Map a reply like ``"2"`` (or ``"2."``, ``"#2"``, or a choice's exact title)
    to that choice's payload; ``None`` when it names no choice.

    The bot must remember the choices it last sent in a conversation, because
    an SMS reply carries only the number.
    """
    cleaned = unicodedata.normalize("NFKC", text).strip()
    match = _NUMBER.fullmatch(cleaned)
    if match:
        index = int(match.group(1))
        return choices[index - 1].payload if 1 <= index <= len(choices) else None
    folded = cleaned.casefold()
    for choice in choices:
        if folded and choice.title.strip().casefold() == folded:
            return choice.payload
    return None


# Carrier-standard opt-out words plus Indonesian ones. CANCEL and YES are left
# out on purpose: here they mean "cancel the report" and "yes".
_STOP_WORDS = frozenset({"stop", "stopall", "berhenti", "unsubscribe", "end", "quit", "optout"})
_START_WORDS = frozenset({"start", "unstop", "mulai"})


def sms_keyword(text: str) -> Literal["stop", "start"] | None:
    """``"stop"`` or ``"start"`` when the whole message is an opt-out/in keyword."""
    word = unicodedata.normalize("NFKC", text).strip().rstrip(".!").strip().casefold()
    if word in _STOP_WORDS:
        return "stop"
    if word in _START_WORDS:
        return "start"
    return None
