"""Identifiers in free text: ticket codes, phone numbers, NIK, e-mail addresses.

All run on folded text (NFKC turns full-width digits into ASCII) and return
folded spans; the caller maps them back to the original text. NIK values are
personal data: callers must never log them (``extra["masked"]`` is log-safe).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import phonenumbers

from nlu.nik import nik_is_valid

# LPR- then Crockford base32 (no I, L, O, U); typed I/L/O are read as 1/1/0.
TICKET = re.compile(r"\blpr(-|\s)?([0-9a-z]{6,12})\b", re.IGNORECASE)
_CROCKFORD = frozenset("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
_CROCKFORD_TYPOS = str.maketrans({"I": "1", "L": "1", "O": "0"})
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,}\b")
_NIK = re.compile(r"(?<![\d+])\d(?:[ .-]?\d){15}(?!\d)")
_PHONE = re.compile(r"(?<![\w+])(?:\+62|62|0)[\s.-]?\(?\d(?:[\s.)-]{0,2}\d){6,13}(?!\d)")


@dataclass(frozen=True, slots=True)
class Found:
    """An identifier found at the folded span ``[start, end)``."""

    type: str
    value: str
    start: int
    end: int
    extra: dict[str, Any] = field(default_factory=dict)


def normalize_ticket(code: str) -> str | None:
    """``lpr7k3m9qx2`` -> ``LPR-7K3M9QX2``; ``None`` when not a ticket code."""
    match = TICKET.fullmatch(code.strip())
    return _ticket_value(match) if match else None


def _ticket_value(match: re.Match[str]) -> str | None:
    separator, body = match.group(1), match.group(2).upper()
    # Without a separator, demand a digit so "lprsekarang"-like words never match.
    if not separator and not any(c.isdigit() for c in body):
        return None
    body = body.translate(_CROCKFORD_TYPOS)
    if not set(body) <= _CROCKFORD:
        return None
    return f"LPR-{body}"


def find_tickets(text: str) -> list[Found]:
    """Ticket codes, upper case with a dash."""
    found = []
    for match in TICKET.finditer(text):
        value = _ticket_value(match)
        if value:
            found.append(Found("ticket", value, match.start(), match.end()))
    return found


def find_emails(text: str) -> list[Found]:
    """E-mail addresses, lowercased."""
    return [Found("email", m.group().lower(), m.start(), m.end()) for m in _EMAIL.finditer(text)]


def find_niks(text: str, today: date) -> list[Found]:
    """16-digit NIKs whose structure is valid (region, birth date, serial)."""
    found = []
    for match in _NIK.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if nik_is_valid(digits, today):
            masked = f"{digits[:4]}********{digits[-4:]}"
            found.append(Found("nik", digits, match.start(), match.end(), {"masked": masked}))
    return found


def find_phones(text: str, taken: list[tuple[int, int]]) -> list[Found]:
    """Indonesian phone numbers as E.164, skipping spans already taken (NIK)."""
    found = []
    for match in _PHONE.finditer(text):
        if any(match.start() < end and start < match.end() for start, end in taken):
            continue
        e164 = _e164(match.group())
        if e164:
            kind = "mobile" if e164.startswith("+628") else "fixed"
            found.append(Found("phone", e164, match.start(), match.end(), {"kind": kind}))
    return found


def _e164(candidate: str) -> str | None:
    try:
        number = phonenumbers.parse(candidate, "ID")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))
