"""Our slang table (``nlu/slang.yaml``): chat spellings to standard Indonesian.

The table is data; this module loads and checks it once. Abbreviations take the
public-service sense (``kk`` is *kartu keluarga*); every negation spelling maps
to a standard negation, so "gk ada air" keeps its meaning.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

SLANG_FILE = Path(__file__).parent / "slang.yaml"


class SlangError(ValueError):
    """The slang file breaks its format; the message names the entry."""


def _words(raw: dict[str, Any], name: str) -> frozenset[str]:
    values = raw.get(name)
    if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
        raise SlangError(f"{name}: expected a list of words")
    return frozenset(values)


def _table(raw: dict[str, Any]) -> dict[str, str]:
    table = raw.get("slang")
    if not isinstance(table, dict):
        raise SlangError("slang: expected a mapping of spelling to standard words")
    for key, value in table.items():
        if not isinstance(key, str) or key != key.lower() or not key.strip():
            raise SlangError(f"slang: key {key!r} must be a lowercase word")
        if not isinstance(value, str) or not value.strip():
            raise SlangError(f"slang: {key!r} maps to nothing")
    return dict(table)


def load_slang(path: Path = SLANG_FILE) -> dict[str, Any]:
    """The parsed, checked slang file."""
    with path.open(encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    if not isinstance(raw, dict):
        raise SlangError(f"{path}: expected a mapping")
    return {
        "negations": _words(raw, "negations"),
        "slang": _table(raw),
        "english_protected": _words(raw, "english_protected"),
        "double_letter_words": _words(raw, "double_letter_words"),
    }


_LOADED = load_slang()
NEGATIONS: frozenset[str] = _LOADED["negations"]
SLANG: dict[str, str] = _LOADED["slang"]
ENGLISH_PROTECTED: frozenset[str] = _LOADED["english_protected"]
DOUBLE_LETTER_WORDS: frozenset[str] = _LOADED["double_letter_words"]
