"""What an erasure or a retention purge does to one reporter's records (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from storage.models import Complaint


@dataclass(frozen=True, slots=True)
class ErasurePlan:
    """``anonymise``: complaints whose identity goes; ``held``: tickets kept whole (legal hold).

    ``conversations`` are the dialogues whose transcripts and photos go: every
    one except those of held complaints. The reporter's own identity (name,
    phone, chat address) goes only when nothing of theirs is held.
    """

    anonymise: tuple[Complaint, ...]
    held: tuple[str, ...]
    conversations: tuple[str, ...]

    @property
    def erases_identity(self) -> bool:
        return not self.held

    @property
    def held_ids(self) -> tuple[int, ...]:
        return tuple(c.id for c in self._held)

    _held: tuple[Complaint, ...] = ()


def plan(complaints: Sequence[Complaint], conversation_ids: Sequence[str]) -> ErasurePlan:
    """Everything of the reporter goes, except complaints under legal hold and their dialogues."""
    held = tuple(c for c in complaints if c.legal_hold)
    kept_dialogues = {c.conversation_id for c in held}
    return ErasurePlan(
        anonymise=tuple(c for c in complaints if not c.legal_hold),
        held=tuple(c.ticket for c in held),
        conversations=tuple(i for i in conversation_ids if i not in kept_dialogues),
        _held=held,
    )
