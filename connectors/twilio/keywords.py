"""Twilio's own opt-out keywords on SMS numbers.

Twilio answers its standard keywords itself (STOP, UNSUBSCRIBE, END, QUIT, STOPALL,
REVOKE, OPTOUT, CANCEL; START, UNSTOP, YES) and blocks sends after an opt-out (error
21610), so there we record the change without a confirmation of our own, and treat
CANCEL and YES the way Twilio does. Indonesian words (BERHENTI, MULAI) are unknown to
Twilio and get our confirmation.
"""

from __future__ import annotations

import unicodedata

from connectors.base import OptKeyword
from connectors.sms import sms_keyword

STOP_WORDS = frozenset({"stop", "stopall", "unsubscribe", "end", "quit", "optout", "revoke", "cancel"})
START_WORDS = frozenset({"start", "unstop", "yes"})


def twilio_keyword(text: str) -> OptKeyword | None:
    """The opt-out/in meaning of ``text`` on a Twilio SMS number."""
    found = sms_keyword(text)
    if found:
        return found
    word = _word(text)
    if word in STOP_WORDS:
        return "stop"
    return "start" if word in START_WORDS else None


def twilio_answers(text: str) -> bool:
    """Whether Twilio replies to ``text`` itself (one of its standard keywords)."""
    return _word(text) in STOP_WORDS | START_WORDS


def _word(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().rstrip(".!").strip().casefold()
