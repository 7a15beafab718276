"""Complaint tickets: random, unguessable, easy to read aloud and to type.

A ticket is ``LPR-`` + 7 random Crockford base32 symbols + 1 check symbol,
e.g. ``LPR-7K3M9QX4``. Crockford's alphabet has no I, L, O or U, so what a
citizen reads over the phone is what an officer types.

Why the check symbol lives in GF(32): with plain integer weights mod 32, a
single typo is caught only if every weight is odd (invertible mod 32), and an
adjacent swap only if the difference of neighbouring weights is odd too; two
odd numbers never differ by an odd number, so some swap always slips through
(e.g. two symbols 16 apart). Crockford avoids this with a prime modulus (37),
at the price of five non-alphanumeric check symbols. In the field GF(2^5)
every non-zero element is invertible, so weights that are distinct powers of
a generator catch every single substitution and every transposition (adjacent
or not) while staying inside the 32 alphanumeric symbols.
"""

from __future__ import annotations

import re
import secrets
import unicodedata

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX = "LPR"
RANDOM_SYMBOLS = 7
CODE_SYMBOLS = RANDOM_SYMBOLS + 1

# Finds candidates in NFKC-normalised free text ("lpr 7k3m 9qx4", "LPR-7K3M9QX4").
# All ASCII letters are accepted so that a mistyped ticket (with a U, say) is
# still found and can be answered with "please check the number".
TICKET_PATTERN = r"(?i)\bLPR[\s\-]*(?:[0-9A-Z][\s\-]?){7}[0-9A-Z]\b"

_VALUES = {symbol: value for value, symbol in enumerate(ALPHABET)}
# Crockford's decoding rules for the look-alike letters.
_VALUES.update({"O": 0, "I": 1, "L": 1})
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—_.]+")

# GF(2^5) with the primitive polynomial x^5 + x^2 + 1.
_POLY = 0b100101


def _gf_tables() -> tuple[list[int], list[int]]:
    """Antilog (doubled, so that log sums need no modulo) and log tables."""
    exp, log, x = [0] * 62, [0] * 32, 1
    for power in range(31):
        exp[power] = exp[power + 31] = x
        log[x] = power
        x <<= 1
        if x & 0b100000:
            x ^= _POLY
    return exp, log


_EXP, _LOG = _gf_tables()


def _gf_mul(a: int, b: int) -> int:
    if a == 0 or b == 0:
        return 0
    return _EXP[_LOG[a] + _LOG[b]]


def _syndrome(values: list[int]) -> int:
    """Sum over GF(32) of value * g^(position from the right); 0 for a valid code.

    The check symbol is the rightmost and has weight g^0 = 1; all eight weights
    are distinct and non-zero (g has order 31).
    """
    total = 0
    for power, value in enumerate(reversed(values)):
        total ^= _gf_mul(value, _EXP[power])
    return total


def check_symbol(symbols: str) -> str:
    """The check symbol for ``RANDOM_SYMBOLS`` canonical Crockford symbols."""
    values = [_VALUES[s] for s in symbols]
    # With a 0 in the check position the syndrome is exactly the needed check value
    # (addition in GF(2^5) is XOR, so x + x = 0).
    return ALPHABET[_syndrome([*values, 0])]


def new_ticket() -> str:
    """A fresh random ticket, ``LPR-`` + 7 random symbols + 1 check symbol."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_SYMBOLS))
    return f"{PREFIX}-{body}{check_symbol(body)}"


def normalize_ticket(text: str) -> str | None:
    """The canonical ``LPR-XXXXXXXC`` for what a citizen typed, or None.

    Accepts lower case, spaces and dashes anywhere, a missing ``LPR`` prefix,
    and Crockford's look-alikes (O for 0, I and L for 1). U and any other
    symbol are invalid, and so is a code whose check symbol does not match.
    """
    compact = _SEPARATORS.sub("", unicodedata.normalize("NFKC", text)).upper()
    if len(compact) == len(PREFIX) + CODE_SYMBOLS and compact.startswith(PREFIX):
        compact = compact[len(PREFIX) :]
    if len(compact) != CODE_SYMBOLS or not all(c in _VALUES for c in compact):
        return None
    values = [_VALUES[c] for c in compact]
    if _syndrome(values) != 0:
        return None
    return f"{PREFIX}-{''.join(ALPHABET[v] for v in values)}"
