"""The dialogue schema: a form of slots, loaded from YAML and checked on load."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).parent
SLOT_TYPES = frozenset({"text", "choice", "category", "location", "date", "photo", "phone"})


class DialogueError(ValueError):
    """A dialogue file is malformed; the message names the problem."""


@dataclass(frozen=True, slots=True)
class Slot:
    name: str
    type: str
    ask: str
    retry: str
    optional: bool = False
    options: tuple[str, ...] = ()
    validators: tuple[str, ...] = ()
    skip_on: tuple[str, ...] = ()
    confirm: str | None = None
    skip_when: dict[str, Any] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)

    def applies_to(self, channel: str, slots: dict[str, Any] | None = None) -> bool:
        """Whether to ask this slot on ``channel`` given the answers so far."""
        if channel in self.skip_on:
            return False
        answers = slots or {}
        return not (self.skip_when and all(_holds(answers.get(k), v) for k, v in self.skip_when.items()))


@dataclass(frozen=True, slots=True)
class Dialogue:
    id: str
    slots: tuple[Slot, ...]
    summary: str
    editable: tuple[str, ...]
    resume_within_hours: float = 24
    welcome_back_after_minutes: float = 30

    def slot(self, name: str) -> Slot:
        for slot in self.slots:
            if slot.name == name:
                return slot
        raise KeyError(name)


def _holds(answer: Any, wanted: Any) -> bool:
    """``skip_when`` values: one value, or a list of values any of which applies."""
    return answer in wanted if isinstance(wanted, list) else answer == wanted


_SLOT_KEYS = {"name", "type", "ask", "retry", "optional", "options", "validators", "skip_on", "skip_when"}


def _slot(raw: dict[str, Any]) -> Slot:
    if raw.get("type") not in SLOT_TYPES:
        raise DialogueError(f"slot {raw.get('name')!r}: unknown type {raw.get('type')!r}")
    params = {k: v for k, v in raw.items() if k not in _SLOT_KEYS | {"confirm"}}
    return Slot(
        name=raw["name"],
        type=raw["type"],
        ask=raw["ask"],
        retry=raw["retry"],
        optional=bool(raw.get("optional", False)),
        options=tuple(raw.get("options", ())),
        validators=tuple(raw.get("validators", ())),
        skip_on=tuple(raw.get("skip_on", ())),
        confirm=raw.get("confirm"),
        skip_when=dict(raw.get("skip_when", {})),
        params=params,
    )


def parse_dialogue(raw: dict[str, Any]) -> Dialogue:
    """Build a ``Dialogue`` from parsed YAML, raising ``DialogueError``."""
    try:
        slots = tuple(_slot(s) for s in raw["slots"])
        dialogue = Dialogue(
            id=raw["id"],
            slots=slots,
            summary=raw["summary"],
            editable=tuple(raw.get("editable", [s.name for s in slots])),
            resume_within_hours=float(raw.get("resume_within_hours", 24)),
            welcome_back_after_minutes=float(raw.get("welcome_back_after_minutes", 30)),
        )
    except (KeyError, TypeError) as exc:
        raise DialogueError(f"dialogue is missing {exc}") from exc
    unknown = set(dialogue.editable) - {s.name for s in slots}
    if unknown:
        raise DialogueError(f"editable names unknown slots: {sorted(unknown)}")
    return dialogue


@cache
def load_dialogue(name: str = "complaint") -> Dialogue:
    """Load ``dialogues/{name}.yaml`` (cached)."""
    with (HERE / f"{name}.yaml").open(encoding="utf-8") as handle:
        return parse_dialogue(yaml.safe_load(handle))
