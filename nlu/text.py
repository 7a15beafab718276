"""Unicode folding that remembers where every character came from.

Extractors run on the folded text (NFKC, invisible controls removed) but report
spans in the citizen's original text, so a dialogue can quote them back exactly.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Zero-width and bidi controls: invisible, and used to split or disguise words.
_INVISIBLE = frozenset(
    "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
WORD = re.compile(r"[0-9a-z]+(?:'[a-z]+)?")


_NEEDS_WORK = re.compile("[\x00-\x1f\x7f-\x9f" + "".join(sorted(_INVISIBLE)) + "]")


@dataclass(frozen=True, slots=True)
class Folded:
    """``text`` folded; ``origin[i]`` is the index in the original of ``text[i]``.

    ``origin`` is ``None`` when folding changed nothing (the common case).
    """

    text: str
    origin: tuple[int, ...] | None = None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of the folded slice ``[start, end)``."""
        if self.origin is None:
            return start, end
        if start >= end:
            at = self.origin[start] if start < len(self.origin) else self._length()
            return at, at
        return self.origin[start], self.origin[end - 1] + 1

    def _length(self) -> int:
        return self.origin[-1] + 1 if self.origin else 0


def fold(text: str) -> Folded:
    """NFKC per character, controls to spaces, invisibles dropped; not lowercased."""
    if not _NEEDS_WORK.search(text) and unicodedata.is_normalized("NFKC", text):
        return Folded(text)
    chars: list[str] = []
    origin: list[int] = []
    for i, char in enumerate(text):
        if char in _INVISIBLE:
            continue
        visible = " " if unicodedata.category(char) == "Cc" else char
        for out in unicodedata.normalize("NFKC", visible):
            chars.append(out)
            origin.append(i)
    return Folded("".join(chars), tuple(origin))


@dataclass(frozen=True, slots=True)
class Token:
    """A word of the folded, lowercased text, with its folded span."""

    word: str
    start: int
    end: int


def tokens(lowered: str) -> list[Token]:
    """Alphanumeric words of already lowercased text (apostrophes kept inside)."""
    return [Token(m.group(), m.start(), m.end()) for m in WORD.finditer(lowered)]


def lower(text: str) -> str:
    """Lowercase without changing the length, so folded offsets stay valid."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(low if len(low := c.lower()) == 1 else c for c in text)


def words(text: str) -> list[str]:
    """The whitespace-separated words of a word-list literal (keeps data readable)."""
    return text.split()
