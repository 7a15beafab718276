"""A second problem told in the same message ("jalan rusak, terus ada pungli juga").

The message is cut into clauses at sentence ends and at the words people use to
add a topic; each clause long enough is classified alone. When two clauses are
sure of different categories, the one that is not the message's main category
is the other topic: the dialogue files the main one and offers to file this.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_CUTS = re.compile(
    r"[.;!?\n]+|\b(?:dan juga|selain itu|satu lagi|terus juga|trus juga|terus|trus|lalu juga|"
    r"kemudian juga|ditambah lagi|ditambah|sekalian|sekaligus|oh iya|oiya|o iya|btw|also|"
    r"another thing|plus|apalagi|lagipula|lagi pula|satu hal lagi)\b",
    re.IGNORECASE,
)
MIN_WORDS = 4
SURE = 0.8

Classify = Callable[[str], tuple[str | None, float]]


def clauses(text: str) -> list[str]:
    """The clauses of ``text``, trimmed, in order."""
    parts = (p.strip(" ,-") for p in _CUTS.split(text))
    return [p for p in parts if p]


def other_topic(text: str, main: str | None, classify: Classify) -> str | None:
    """The words of a second problem of another category than ``main``, if sure."""
    if main is None:
        return None
    parts = [p for p in clauses(text) if len(p.split()) >= MIN_WORDS]
    if len(parts) < 2:
        return None
    labelled = [(p, *classify(p)) for p in parts]
    if not any(category == main and score >= SURE for _, category, score in labelled):
        return None
    for part, category, score in labelled:
        if category not in (None, main, "other") and score >= SURE:
            return part
    return None
