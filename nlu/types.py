"""What the NLU returns: the only types other packages see of ``nlu``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

INTENTS = (
    "greet",
    "report",
    "check_status",
    "help",
    "cancel",
    "affirm",
    "deny",
    "thanks",
    "out_of_scope",
)

CATEGORIES = (
    "infrastructure",
    "health",
    "education",
    "civil_registration",
    "environment",
    "utilities",
    "transportation",
    "public_order",
    "social_assistance",
    "corruption",
    "licensing",
    "land",
    "taxation",
    "employment",
    "other",
)

KINDS = ("complaint", "aspiration", "information_request")


@dataclass(frozen=True, slots=True)
class Region:
    """An official region (Kemendagri code), at any level.

    ``level`` is ``province``, ``regency``, ``district`` (kecamatan) or ``village``
    (desa/kelurahan). ``regency_name`` is the official kabupaten/kota name for
    levels at or below regency, ``None`` for provinces.
    """

    code: str
    name: str
    level: str
    province_code: str
    province_name: str
    regency_code: str | None = None
    regency_name: str | None = None
    district_code: str | None = None
    district_name: str | None = None


@dataclass(frozen=True, slots=True)
class Entity:
    """One span found in the text; ``value`` is normalised (E.164, ISO date...)."""

    type: str
    value: str
    start: int
    end: int
    text: str
    confidence: float = 1.0
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ScoredLabel:
    label: str
    confidence: float


@dataclass(frozen=True, slots=True)
class ParseResult:
    """The NLU's reading of one message.

    ``category`` is ``None`` unless the text reports a problem.
    ``regions`` lists the most specific regions named; several candidates at the
    same level mean the name is ambiguous (Kota vs Kabupaten Bogor) and must be
    asked back, never guessed. ``regency`` is the official kab/kota name only when
    unambiguous.

    ``category_guess`` is the model's top three categories for anything to file
    (also a wish, or an unsure problem), for the dialogue to offer when it asks.
    ``suggestions`` are kabupaten/kota a short message may mean when it names none
    (close spellings, a kecamatan's regency, a named province's regencies).
    ``other_topic`` is the words of a second problem, of another category, told in
    the same message.
    """

    text: str
    intent: str
    intent_confidence: float
    category: str | None = None
    category_confidence: float = 0.0
    category_ranking: tuple[ScoredLabel, ...] = ()
    kind: str | None = None
    regions: tuple[Region, ...] = ()
    regency: str | None = None
    incident_date: date | None = None
    ticket: str | None = None
    language: str | None = None
    entities: tuple[Entity, ...] = ()
    category_guess: tuple[ScoredLabel, ...] = ()
    suggestions: tuple[Region, ...] = ()
    other_topic: str | None = None

    def entity(self, type_: str) -> Entity | None:
        """The first entity of ``type_``, if any."""
        return next((e for e in self.entities if e.type == type_), None)


class Parser(Protocol):
    """Anything that reads a message: the built-in model, Rasa, keywords."""

    def parse(self, text: str, now: datetime) -> ParseResult:
        """Parse ``text`` sent at ``now`` (aware; relative dates use Asia/Jakarta)."""
        ...
