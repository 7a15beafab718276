"""A conversation's state, as kept in the state store between turns."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from connectors.messages import channel_of


@dataclass(slots=True)
class ConversationState:
    """Everything the engine needs to continue a conversation.

    ``awaiting`` names what the last question asked for: a slot name, or one
    of ``consent``, ``confirm``, ``edit``, ``category_confirm``, ``region``,
    ``feedback``, ``rating``. ``choices`` are the last offered (title, payload)
    pairs, so a numbered SMS reply can be mapped back.
    """

    address: str
    language: str = "id"
    consented: bool = False
    pending_text: str | None = None
    flow: str | None = None
    conversation_id: str | None = None
    slots: dict[str, Any] = field(default_factory=dict)
    awaiting: str | None = None
    editing: bool = False
    proposal: dict[str, Any] = field(default_factory=dict)
    attempts: int = 0
    choices: list[list[str]] = field(default_factory=list)
    context: dict[str, Any] = field(default_factory=dict)
    started_at: str | None = None
    updated_at: str | None = None

    @property
    def channel(self) -> str:
        return channel_of(self.address)

    def last_active(self) -> datetime | None:
        return datetime.fromisoformat(self.updated_at) if self.updated_at else None

    def reset_flow(self) -> None:
        """Forget the draft (not the language or consent)."""
        self.flow = None
        self.conversation_id = None
        self.slots = {}
        self.awaiting = None
        self.editing = False
        self.proposal = {}
        self.attempts = 0
        self.choices = []
        self.started_at = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ConversationState:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


def conversation_key(address: str) -> str:
    """The state-store key of ``address``'s conversation state, also the key of its turn lock."""
    return f"conv:{address}"
