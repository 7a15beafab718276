"""Masking personal data before it reaches a log line."""

from __future__ import annotations

import re

from bot.core.pseudonyms import pseudonym

_PHONE = re.compile(r"(?<!\d)(\+?62|0)8\d{7,12}(?!\d)")
_NIK = re.compile(r"(?<!\d)\d{16}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def mask_address(address: str) -> str:
    """``tel:+6281234567890`` -> ``tel:…<16 hex digits>``: a keyed pseudonym, stable per key."""
    scheme = address.partition(":")[0]
    return f"{scheme}:…{pseudonym(address)}"


def mask_text(text: str) -> str:
    """Replace phone numbers, NIKs and e-mails in free text."""
    text = _NIK.sub("[NIK]", text)
    text = _PHONE.sub("[PHONE]", text)
    return _EMAIL.sub("[EMAIL]", text)
