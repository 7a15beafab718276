"""Everything the message names, whichever classifier reads its intent.

Places, dates and identifiers come from our own extractors, also when Rasa
classifies the intent. Spans are in the original text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from nlu.address import find_addresses
from nlu.dates import find_dates, local_today
from nlu.identifiers import Found, find_emails, find_niks, find_phones, find_tickets
from nlu.regions import RegionIndex, RegionMatch
from nlu.suggest import suggest
from nlu.text import Folded, fold, lower, tokens
from nlu.types import Entity, Region

_REGION_LEVELS = ("province", "regency", "district", "village")


@dataclass(frozen=True, slots=True)
class Extraction:
    """The non-classifier part of a ``ParseResult``."""

    entities: tuple[Entity, ...]
    regions: tuple[Region, ...]
    regency: str | None
    incident_date: date | None
    ticket: str | None
    suggestions: tuple[Region, ...] = ()


def extract(
    text: str,
    now: datetime,
    index: RegionIndex,
    known_words: frozenset[str] = frozenset(),
    folded: Folded | None = None,
) -> Extraction:
    """Regions, address, date, phone, NIK, ticket and e-mail entities of ``text``."""
    folded = folded or fold(text)
    lowered = lower(folded.text)
    entities: list[Entity] = []
    ids = _identifiers(folded.text, local_today(now))
    entities += [_entity(folded, text, f.type, f.value, f.start, f.end, f.extra) for f in ids]
    for hit in find_addresses(folded.text):
        parts: dict[str, Any] = {"street": hit.street, "number": hit.number, "rt": hit.rt, "rw": hit.rw}
        entities.append(_entity(folded, text, "address", hit.value, hit.start, hit.end, parts))
    dates = find_dates(lowered, now)
    for d in dates:
        extra: dict[str, Any] = {"approximate": d.approximate}
        entities.append(_entity(folded, text, "date", d.value.isoformat(), d.start, d.end, extra))
    words = tokens(lowered)
    match = index.match(words, folded.text, known_words)
    entities += _region_entities(folded, text, index, match)
    ticket = next((f.value for f in ids if f.type == "ticket"), None)
    return Extraction(
        entities=tuple(sorted(entities, key=lambda e: (e.start, e.type))),
        regions=match.regions,
        regency=match.regency,
        incident_date=dates[0].value if dates else None,
        ticket=ticket,
        suggestions=suggest(index, words, match.regions, known_words),
    )


def _identifiers(folded: str, today: date) -> list[Found]:
    niks = find_niks(folded, today)
    emails = find_emails(folded)
    taken = [(f.start, f.end) for f in niks + emails]
    return find_tickets(folded) + emails + niks + find_phones(folded, taken)


def _region_entities(folded: Folded, text: str, index: RegionIndex, match: RegionMatch) -> list[Entity]:
    chosen = {r.code for r in match.regions}
    entities = []
    for hit in match.hits:
        codes = [c for c in hit.codes if c in chosen] or list(hit.codes)
        if len(codes) > 5:
            continue
        for code in codes:
            extra = {"name": index.names[code], "candidates": len(codes), "fuzzy": hit.fuzzy}
            entity = _entity(folded, text, hit.level, code, hit.start, hit.end, extra)
            entities.append(_with_confidence(entity, 1.0 / len(codes)))
    return entities


def _entity(
    folded: Folded,
    text: str,
    type_: str,
    value: str,
    start: int,
    end: int,
    extra: dict[str, Any],
) -> Entity:
    begin, finish = folded.span(start, end)
    return Entity(type_, value, begin, finish, text[begin:finish], 1.0, dict(extra))


def _with_confidence(entity: Entity, confidence: float) -> Entity:
    return Entity(
        entity.type,
        entity.value,
        entity.start,
        entity.end,
        entity.text,
        confidence,
        entity.extra,
    )
