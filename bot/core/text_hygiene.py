"""Clean citizen text for matching and display; the original is kept apart.

Removes NUL and other control characters, bidi overrides and zero-width
characters (which can disguise text on an officer's screen), and lone
surrogates left by invalid UTF-8.
"""

from __future__ import annotations

import re
import unicodedata

_INVISIBLE = re.compile(
    "[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb"
    "\ud800-\udfff]"
)


def clean(text: str) -> str:
    """Printable text: controls and invisible formatting removed, NFC, trimmed."""
    return unicodedata.normalize("NFC", _INVISIBLE.sub("", text)).strip()


def storable(text: str) -> str:
    """Text any database accepts (no NUL, no lone surrogates), otherwise as sent."""
    return text.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")


def evidence(text: str) -> str:
    """The message as received, JSON- and database-safe.

    Bytes that were not valid UTF-8 (decoded as lone surrogates) are written
    as ``\\xNN`` escapes, so the original bytes stay recoverable.
    """
    return (
        text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace").replace("\x00", "\\x00")
    )
