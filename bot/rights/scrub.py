"""Removing a reporter's identifiers from text that is kept as a fact (pure)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.core.privacy import mask_text

_MIN_LENGTH = 3  # shorter values would blank ordinary words
_REDACTED = "[DIHAPUS]"


@dataclass(frozen=True, slots=True)
class KnownIdentity:
    """The identity values stored for one reporter: they are removed wherever they appear."""

    values: tuple[str, ...]

    @classmethod
    def of(cls, address: str, *fields: str | None) -> KnownIdentity:
        return cls(tuple(_variants(address, fields)))

    def scrub(self, text: str | None) -> str | None:
        """``text`` without these values, phone numbers, NIKs and e-mail addresses."""
        if text is None:
            return None
        for value in sorted(self.values, key=len, reverse=True):
            text = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", _REDACTED, text, flags=re.IGNORECASE)
        return mask_text(text)


def _variants(address: str, fields: Iterable[str | None]) -> list[str]:
    found = {address}
    local = address.partition(":")[2]
    found.add(local)
    for value in fields:
        if value:
            found.add(value.strip())
    for value in list(found):
        found.update(_phone_forms(value))
    return [v for v in found if len(v) >= _MIN_LENGTH]


def _phone_forms(value: str) -> list[str]:
    """``+6281234567890`` is also written ``6281234567890`` and ``081234567890``."""
    digits = value.partition(":")[2] if ":" in value else value
    if not re.fullmatch(r"\+?\d{8,15}", digits):
        return []
    bare = digits.lstrip("+")
    forms = [bare, f"+{bare}"]
    if bare.startswith("62"):
        forms.append("0" + bare[2:])
    return forms
