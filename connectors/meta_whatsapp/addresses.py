"""``whatsapp:+E164`` addresses and the bare digits the Cloud API uses (``wa_id``, ``to``)."""

from __future__ import annotations

from connectors.phone import to_e164

SCHEME = "whatsapp"
_MAX_DIGITS = 15  # E.164


def address_of_wa_id(wa_id: str) -> str | None:
    """``"6281234567890"`` -> ``"whatsapp:+6281234567890"``; ``None`` when not a number."""
    digits = wa_id.strip().removeprefix("+")
    if not (digits.isascii() and digits.isdigit()) or len(digits) > _MAX_DIGITS:
        return None
    try:
        return f"{SCHEME}:{to_e164('+' + digits)}"
    except ValueError:
        return None


def recipient_of(address: str) -> str | None:
    """The Cloud API ``to`` (digits, no ``+``) of a ``whatsapp:`` address; ``None`` otherwise."""
    scheme, _, number = address.partition(":")
    if scheme != SCHEME or not number.startswith("+"):
        return None
    try:
        return to_e164(number).removeprefix("+")
    except ValueError:
        return None
