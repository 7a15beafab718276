"""The message catalog: every citizen-facing text, by key, per language.

Each key has a full ``text`` and optionally an ``sms`` variant for channels
where two 153-character segments is the budget.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from string import Formatter
from typing import Any

import yaml

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"
_DIR = Path(__file__).parent / "texts"


@dataclass(frozen=True, slots=True)
class Text:
    text: str
    sms: str | None = None


class Texts:
    """Look up and fill texts; missing keys fail loudly in tests, not in chat."""

    def __init__(self, catalogs: dict[str, dict[str, Text]]) -> None:
        self._catalogs = catalogs

    def has(self, key: str, language: str = DEFAULT_LANGUAGE) -> bool:
        return key in self._catalogs[language]

    def get(self, key: str, language: str) -> Text:
        catalog = self._catalogs.get(language) or self._catalogs[DEFAULT_LANGUAGE]
        return catalog[key]

    def render(self, key: str, language: str, params: dict[str, Any] | None = None) -> str:
        """The full text of ``key`` with ``params`` filled in."""
        return _fill(self.get(key, language).text, params)

    def render_sms(self, key: str, language: str, params: dict[str, Any] | None = None) -> str:
        """The SMS variant of ``key`` (the full text when there is none)."""
        entry = self.get(key, language)
        return _fill(entry.sms or entry.text, params)

    def keys(self, language: str) -> frozenset[str]:
        return frozenset(self._catalogs[language])

    def placeholders(self, key: str, language: str) -> frozenset[str]:
        entry = self.get(key, language)
        names = set()
        for template in filter(None, (entry.text, entry.sms)):
            names |= {f for _, f, _, _ in Formatter().parse(template) if f}
        return frozenset(names)


def _fill(template: str, params: dict[str, Any] | None) -> str:
    return template.format_map(params or {}) if "{" in template else template


def _load(path: Path) -> dict[str, Text]:
    with path.open(encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    return {key: Text(text=value["text"], sms=value.get("sms")) for key, value in raw.items()}


@cache
def load_texts() -> Texts:
    """The catalogs in ``dialogues/texts/`` (cached)."""
    return Texts({lang: _load(_DIR / f"{lang}.yaml") for lang in LANGUAGES})
