"""What Twilio's error codes mean for us, in the hub's neutral words.

21610: the recipient replied STOP; 21211 / 21614 / 63003: the number cannot be
reached; 63016: a free-form WhatsApp message outside the 24-hour window.
"""

from __future__ import annotations

from connectors.messages import FailureReason

OPTED_OUT = frozenset({21610})
UNREACHABLE = frozenset({21211, 21614, 63003})
OUTSIDE_WINDOW = frozenset({63016})


def reason_for(code: int | None) -> FailureReason | None:
    """The neutral reason behind a Twilio error code; None when it says nothing we act on."""
    if code in OPTED_OUT:
        return FailureReason.OPTED_OUT
    if code in UNREACHABLE:
        return FailureReason.UNREACHABLE
    if code in OUTSIDE_WINDOW:
        return FailureReason.OUTSIDE_WINDOW
    return None
