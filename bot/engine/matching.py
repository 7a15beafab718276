"""Map a reply onto the offered choices: payload, title, number or yes/no."""

from __future__ import annotations

import re

from bot.engine.commands import normalize
from nlu.types import ParseResult

YES = frozenset(
    {
        "ya",
        "iya",
        "y",
        "yes",
        "ok",
        "oke",
        "betul",
        "benar",
        "setuju",
        "kirim",
        "send",
        "agree",
        "yup",
        "sip",
        "siap",
        "lanjut",
    }
)
# Below this the NLU's affirm/deny is a guess, and a guessed "no" at the summary costs a turn.
NLU_SURE = 0.85
NO = frozenset(
    {
        "tidak",
        "tdk",
        "gak",
        "nggak",
        "enggak",
        "no",
        "n",
        "bukan",
        "salah",
        "ubah",
        "change",
        "tidak setuju",
    }
)


def pick(text: str, choices: list[list[str]]) -> str | None:
    """The payload of the choice ``text`` selects, or ``None``.

    Accepts the payload itself (a button press), the title, or its 1-based
    number (numbered lists on SMS and WhatsApp).
    """
    word = normalize(text)
    if not word:
        return None
    for title, payload in choices:
        if word in (normalize(payload), normalize(title)):
            return payload
    if word.isdigit() and 1 <= int(word) <= len(choices):
        return choices[int(word) - 1][1]
    prefixed = [payload for title, payload in choices if normalize(title).startswith(word)]
    return prefixed[0] if len(word) >= 3 and len(prefixed) == 1 else None


def yes_or_no(text: str, parse: ParseResult | None) -> bool | None:
    """True for yes, False for no, None when the reply is neither."""
    word = normalize(text)
    if word in YES:
        return True
    if word in NO:
        return False
    if parse is not None and parse.intent_confidence >= NLU_SURE and len(word.split()) <= 4:
        if parse.intent == "affirm":
            return True
        if parse.intent == "deny":
            return False
    return None


_PUNCTUATION = re.compile(r"[^\w\s]")


def mentioned(text: str, choices: list[list[str]]) -> str | None:
    """The one choice whose title the reply contains as words ("anonim aja")."""
    words = " " + " ".join(_PUNCTUATION.sub(" ", normalize(text)).split()) + " "
    found = {payload for title, payload in choices if title and f" {normalize(title)} " in words}
    return found.pop() if len(found) == 1 else None


def agreement_and_rest(text: str) -> str | None:
    """The rest of a reply that opens with a plain yes ("setuju, di Sleman"), else ``None``."""
    head, _, rest = text.strip().partition(" ")
    word = normalize(head).strip(",.;:!")
    if word not in YES or not rest.strip() or any(w in NO for w in normalize(rest).split()):
        return None
    return rest.strip(" ,.;:")
