"""The engine's input and output for one turn."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.engine.state import ConversationState
from connectors.messages import Contact, Location, Outbound


@dataclass(frozen=True, slots=True)
class UserMessage:
    """What the citizen sent, after the service fetched and checked media.

    ``text`` is cleaned for matching and display; ``original`` is exactly what
    arrived, kept as evidence. ``photos`` counts attachments accepted this turn; ``photo_rejected`` is set
    when one was refused (wrong type, too large).
    """

    text: str
    original: str = ""
    location: Location | None = None
    contact: Contact | None = None
    photos: int = 0
    photo_rejected: bool = False
    unsupported: str | None = None


@dataclass(frozen=True, slots=True)
class Submit:
    """File the draft as a complaint under ``ticket``."""

    conversation_id: str
    ticket: str
    slots: dict[str, Any]
    language: str


@dataclass(frozen=True, slots=True)
class StatusQuery:
    """Look up the reporter's own complaint(s); ``ticket`` None lists them all."""

    ticket: str | None
    raw_ticket: str | None = None


@dataclass(frozen=True, slots=True)
class GiveConsent:
    pass


@dataclass(frozen=True, slots=True)
class Feedback:
    """The reporter's answer to "is it fixed?": rating closes, None reopens."""

    ticket: str
    fixed: bool
    rating: int | None = None


@dataclass(frozen=True, slots=True)
class ReporterReply:
    """Text for an officer who asked the reporter for more information."""

    ticket: str
    text: str


@dataclass(frozen=True, slots=True)
class EraseData:
    """The reporter confirmed: erase what is stored about them (UU PDP) and forget the conversation.

    The service applies it and renders the answer (what was erased, what is held and why).
    """


Effect = Submit | StatusQuery | GiveConsent | Feedback | ReporterReply | EraseData


@dataclass(slots=True)
class Turn:
    """The result of ``step``: the new state, the replies, what to do.

    ``replay`` is text the service must parse and feed back in (the first
    message held while consent was asked).
    """

    state: ConversationState
    replies: list[Outbound] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    replay: str | None = None
    previous_conversation_id: str | None = None

    @property
    def erases(self) -> bool:
        return any(isinstance(e, EraseData) for e in self.effects)

    @property
    def submitted(self) -> Submit | None:
        return next((e for e in self.effects if isinstance(e, Submit)), None)
