"""NIK structure check (the rules of lokal-id's ``parse_nik``), without importing lokal.

``lokal``'s package import compiles its PII detectors (about 0.6 s); a parser that
only needs these few rules should not pay that at every start. A test keeps the
two in agreement.
"""

from __future__ import annotations

from datetime import date

from nlu.text import words

# Kemendagri province codes (lokal-id ``PROVINCES``).
PROVINCE_CODES = frozenset(
    words(
        """
        11 12 13 14 15 16 17 18 19 21 31 32 33 34 35 36 51 52 53 61 62 63 64 65 71 72 73 74 75
        76 81 82 91 92 93 94 95 96
        """
    )
)


def nik_is_valid(digits: str, today: date) -> bool:
    """PP KK CC DDMMYY SSSS: known province, no 00 region, a real birth date
    (day + 40 for women, century from ``today``), serial not 0000."""
    if len(digits) != 16 or not digits.isascii() or not digits.isdigit():
        return False
    if digits[:2] not in PROVINCE_CODES or digits[2:4] == "00" or digits[4:6] == "00":
        return False
    day, month, yy = int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    day = day - 40 if day > 40 else day
    year = 2000 + yy if yy <= today.year % 100 else 1900 + yy
    try:
        date(year, month, day)
    except ValueError:
        return False
    return digits[12:] != "0000"
