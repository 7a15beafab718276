"""Phone numbers in E.164, the one form every SMS and WhatsApp address uses.

Indonesian citizens write ``0812...``, ``62812...`` or ``+62812...``; all become
``+62812...``. Validity is checked by length only (``is_possible_number``):
operators open new prefixes faster than number metadata is updated, and
refusing a real citizen's number would lock them out of the channel.
"""

from __future__ import annotations

import re

import phonenumbers

DEFAULT_REGION = "ID"
_ALLOWED = re.compile(r"^\+?[0-9 ()./-]{4,32}$")


def to_e164(raw: str, region: str = DEFAULT_REGION) -> str:
    """Normalise ``raw`` to E.164 (``+628123456789``); raise ``ValueError`` on garbage."""
    text = raw.strip()
    if not _ALLOWED.fullmatch(text):
        raise ValueError("not a phone number")
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise ValueError("not a phone number") from exc
    if not phonenumbers.is_possible_number(number):
        raise ValueError("not a possible phone number")
    e164: str = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return e164


def mask(e164: str) -> str:
    """A phone number safe for logs: ``+628*******890`` (prefix and last 3 digits)."""
    if len(e164) < 9:
        return "*" * len(e164)
    return f"{e164[:4]}{'*' * (len(e164) - 7)}{e164[-3:]}"


def tel_number(address: str) -> str | None:
    """The E.164 number of a ``tel:`` address, ``None`` when it is not one."""
    if not address.startswith("tel:"):
        return None
    try:
        return to_e164(address.removeprefix("tel:"))
    except ValueError:
        return None
