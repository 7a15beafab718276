"""The privacy rules for public output, in one place.

* Confidential (rahasia) complaints never leave: ``public_clause`` is part of
  every public query, and nothing else selects complaints for the public.
* No reporter data is ever published (name, phone, address, NIK), for
  anonymous and named reporters alike.
* NIK, phone numbers, e-mail addresses and names a reporter typed into free
  text are masked (``mask_public``), with the NLU's identifier finders.
* Counts grouped finely enough to single a complaint out are suppressed below
  ``MIN_CELL`` (``suppress``).
* Coordinates are rounded to about 100 m.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date

from sqlalchemy import ColumnElement, and_, or_

from nlu.identifiers import find_emails, find_niks, find_phones
from storage.models import Complaint

MIN_CELL = 3
COORDINATE_DECIMALS = 3
NIK_MASK = "[NIK]"
PHONE_MASK = "[telepon]"
EMAIL_MASK = "[email]"
NAME_MASK = "[nama]"
# "nama saya budi santoso", "atas nama Siti", "a.n. Rahmat": the next two words are a name.
_STRONG_INTRO = re.compile(
    r"(?P<intro>\b(?:nama\s+saya|nama\s*:|atas\s+nama|a\.\s?n\.|saya\s+bernama|my\s+name\s+is)\s*)"
    r"(?P<name>[^\W\d_][\w'-]*(?:\s+[^\W\d_][\w'-]*)?)",
    re.IGNORECASE,
)
# "pak Joko Widodo", "ibu Sri": only capitalised words after an honorific.
_HONORIFIC = re.compile(
    r"(?P<intro>\b(?i:bapak|ibu|pak|bu|sdr|sdri|saudara|saudari)\.?\s+)(?P<name>[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*){0,2})"
)
_CAPITALISED = re.compile(r"[A-Z][\w'.-]*")


def public_clause() -> ColumnElement[bool]:
    """SQL every public query carries: never confidential, never spam."""
    return and_(
        Complaint.confidential.is_(False),
        or_(Complaint.rejection_reason.is_(None), Complaint.rejection_reason != "spam"),
    )


def is_public(complaint: Complaint) -> bool:
    """The same rule as ``public_clause`` for one loaded record."""
    return not complaint.confidential and complaint.rejection_reason != "spam"


def mask_public(text: str | None, today: date, known_names: Iterable[str] = ()) -> str:
    """``text`` with identifiers and names replaced; NFKC-folded, so the finders' spans apply."""
    if not text:
        return ""
    folded = unicodedata.normalize("NFKC", text)
    spans: list[tuple[int, int, str]] = []
    niks = find_niks(folded, today)
    spans += [(f.start, f.end, NIK_MASK) for f in niks]
    spans += [(f.start, f.end, EMAIL_MASK) for f in find_emails(folded)]
    taken = [(s, e) for s, e, _ in spans]
    spans += [(f.start, f.end, PHONE_MASK) for f in find_phones(folded, taken)]
    spans += _bare_digit_runs(folded, [(s, e) for s, e, _ in spans])
    masked = _replace(folded, spans)
    masked = _mask_introduced_names(masked)
    return _mask_known_names(masked, known_names)


def _bare_digit_runs(text: str, taken: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """16-digit runs that fail the NIK check are still masked: better safe than published."""
    found = []
    for match in re.finditer(r"(?<!\d)\d(?:[ .-]?\d){9,}(?!\d)", text):
        if not any(match.start() < end and start < match.end() for start, end in taken):
            digits = len(re.sub(r"\D", "", match.group()))
            found.append((match.start(), match.end(), NIK_MASK if digits == 16 else PHONE_MASK))
    return found


def _replace(text: str, spans: list[tuple[int, int, str]]) -> str:
    out, cursor = [], 0
    for start, end, label in sorted(spans):
        if start < cursor:
            continue
        out += [text[cursor:start], label]
        cursor = end
    out.append(text[cursor:])
    return "".join(out)


def _mask_introduced_names(text: str) -> str:
    def name(match: re.Match[str]) -> str:
        words = match.group("name").split(" ")
        leading = 0
        while leading < len(words) and _CAPITALISED.fullmatch(words[leading]):
            leading += 1
        # Only capitalised words are a name: "bapak yang bertugas" stays as written.
        if leading == 0:
            return match.group(0)
        rest = " ".join(words[leading:])
        return f"{match.group('intro')}{NAME_MASK}{' ' + rest if rest else ''}"

    text = _STRONG_INTRO.sub(lambda m: f"{m.group('intro')}{NAME_MASK}", text)
    return _HONORIFIC.sub(name, text)


def _mask_known_names(text: str, names: Iterable[str]) -> str:
    for full in names:
        for part in sorted({full, *full.split()}, key=len, reverse=True):
            if len(part) >= 3:
                text = re.sub(rf"(?<!\w){re.escape(part)}(?!\w)", NAME_MASK, text, flags=re.IGNORECASE)
    return text


def rounded(coordinate: float | None) -> float | None:
    return round(coordinate, COORDINATE_DECIMALS) if coordinate is not None else None


def suppress(count: int) -> int | None:
    """A count safe to publish: ``None`` (shown as "<3") when it could single someone out."""
    return None if 0 < count < MIN_CELL else count
