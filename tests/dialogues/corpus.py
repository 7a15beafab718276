"""The dialogue corpus: conversations written the way citizens write, as data.

Each YAML file in this folder holds a list of conversations::

    - name: short SMS, the date as a duration
      says: [lampu jalan mati udh seminggu, setuju, depan SD 2 Ngaglik Sleman, 1, ya]
      expect: {kind: complaint, category: infrastructure, regency: Kabupaten Sleman,
               date: "2026-11-23", identity: public}
      max_turns: 6

``says`` are the citizen's messages in order (sent at START, Monday 30 Nov 2026
09:00 in Jakarta); ``expect`` is what the first filed record must hold (``filed:
false`` when nothing may be filed; ``complaints`` counts the records);
``max_turns`` bounds the messages sent until the ticket.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).parent
FIELDS = ("kind", "category", "regency", "date", "identity")


@dataclass(frozen=True)
class Conversation:
    file: str
    name: str
    says: tuple[str, ...]
    expect: dict[str, Any]
    max_turns: int
    address: str = "rest:warga"

    @property
    def id(self) -> str:
        return f"{self.file}:{self.name}"


@dataclass
class Outcome:
    """What one run of a conversation produced."""

    records: list[dict[str, Any]] = field(default_factory=list)
    turns_to_ticket: int | None = None
    keys: list[list[str]] = field(default_factory=list)


def load_corpus() -> list[Conversation]:
    conversations = []
    for path in sorted(HERE.glob("*.yaml")):
        for raw in yaml.safe_load(path.read_text(encoding="utf-8")):
            conversations.append(
                Conversation(
                    file=path.stem,
                    name=str(raw["name"]),
                    says=tuple(str(m) for m in raw["says"]),
                    expect=dict(raw.get("expect") or {}),
                    max_turns=int(raw.get("max_turns", len(raw["says"]))),
                    address=str(raw.get("address", "rest:warga")),
                )
            )
    return conversations


Send = Callable[[str], Awaitable[tuple[list[str], dict[str, Any] | None]]]


async def play(conversation: Conversation, send: Send) -> Outcome:
    """Send every message; collect the replies' keys and the filed records."""
    outcome = Outcome()
    for number, text in enumerate(conversation.says, 1):
        keys, record = await send(text)
        outcome.keys.append(keys)
        if record is not None:
            outcome.records.append(record)
            if outcome.turns_to_ticket is None:
                outcome.turns_to_ticket = number
    return outcome


def problems(conversation: Conversation, outcome: Outcome) -> list[str]:
    """What the outcome gets wrong, in words (empty: it passes)."""
    expect, found = conversation.expect, outcome.records
    trace = " | ".join(f"{m!r}->{k}" for m, k in zip(conversation.says, outcome.keys, strict=False))
    if expect.get("filed", True) is False:
        return [f"filed {found} but nothing may be filed; {trace}"] if found else []
    if not found:
        return [f"nothing filed; {trace}"]
    wrong = []
    if "complaints" in expect and len(found) != expect["complaints"]:
        wrong.append(f"{len(found)} records, expected {expect['complaints']}")
    for name in FIELDS:
        if name in expect and found[0].get(name) != expect[name]:
            wrong.append(f"{name}: {found[0].get(name)!r} != {expect[name]!r}")
    if outcome.turns_to_ticket is not None and outcome.turns_to_ticket > conversation.max_turns:
        wrong.append(f"{outcome.turns_to_ticket} turns > {conversation.max_turns}")
    return [f"{w}; {trace}" for w in wrong]


def figures(outcomes: list[Outcome]) -> dict[str, float]:
    """Mean turns to a ticket, and the share of filed records with a kabupaten/kota."""
    turns = [o.turns_to_ticket for o in outcomes if o.turns_to_ticket is not None]
    records = [r for o in outcomes for r in o.records]
    routable = [r for r in records if r.get("regency")]
    return {
        "conversations": len(outcomes),
        "filed_records": len(records),
        "mean_turns": sum(turns) / len(turns) if turns else 0.0,
        "routable_share": len(routable) / len(records) if records else 1.0,
    }


def identity_of(anonymous: bool, confidential: bool) -> str:
    return "anonymous" if anonymous else "confidential" if confidential else "public"
