"""Conversation transcripts in YAML, run through the whole bot.

A transcript is a list of steps: ``user`` (what the citizen sends), ``bot``
(the text keys the bot must answer with, in order), optional ``contains``
(a substring of the reply text) and ``wait`` (move the clock, e.g. ``2h``).
``expect`` checks the stored complaints at the end.

Regenerate the ``bot`` keys after a deliberate change with
``LAPOR_TEST_REGENERATE=1 .venv/bin/pytest tests/intake/test_transcripts.py``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml

from tests.support.paths import TESTS

HERE = TESTS / "intake" / "transcripts"
REGENERATE = os.environ.get("LAPOR_TEST_REGENERATE") == "1"
_DURATION = re.compile(r"^(\d+)([smhd])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


@dataclass
class Transcript:
    path: Path
    raw: dict[str, Any]

    @property
    def name(self) -> str:
        return str(self.raw.get("name", self.path.stem))

    @property
    def steps(self) -> list[dict[str, Any]]:
        steps: list[dict[str, Any]] = self.raw["steps"]
        return steps

    def save(self) -> None:
        self.path.write_text(
            yaml.safe_dump(self.raw, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8"
        )


def duration(text: str) -> timedelta:
    match = _DURATION.match(text)
    if not match:
        raise ValueError(f"bad wait {text!r}: use e.g. 30m, 2h, 1d")
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


def load_all() -> list[Transcript]:
    return [Transcript(p, yaml.safe_load(p.read_text(encoding="utf-8"))) for p in sorted(HERE.glob("*.yml"))]
