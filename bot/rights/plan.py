"""What an erasure does to one reporter's records (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from storage.models import Complaint


@dataclass(frozen=True, slots=True)
class ErasurePlan:
    """``anonymise``: complaints whose identity goes; ``held``: complaints kept whole (legal hold).

    ``conversations`` are the dialogues whose transcripts and photos go: every
    one except those of held complaints. The reporter's own identity (name,
    phone, chat address) goes only when nothing of theirs is held.
    """

    anonymise: tuple[Complaint, ...]
    held: tuple[Complaint, ...]
    conversations: tuple[str, ...]

    @property
    def erases_identity(self) -> bool:
        return not self.held

    @property
    def held_tickets(self) -> list[str]:
        return [c.ticket for c in self.held]

    @property
    def held_ids(self) -> list[int]:
        return [c.id for c in self.held]


def plan(complaints: Sequence[Complaint], conversation_ids: Sequence[str]) -> ErasurePlan:
    """Everything of the reporter goes, except complaints under legal hold and their dialogues.

    Complaints already anonymised (by retention) are not anonymised twice.
    """
    held = tuple(c for c in complaints if c.legal_hold)
    kept_dialogues = {c.conversation_id for c in held}
    return ErasurePlan(
        anonymise=tuple(c for c in complaints if not c.legal_hold and c.anonymised_at is None),
        held=held,
        conversations=tuple(i for i in conversation_ids if i not in kept_dialogues),
    )
