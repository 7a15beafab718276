"""Take what a message already says: kind, category, place and date."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from nlu.types import ParseResult, Region

CATEGORY_SURE = 0.55
CATEGORY_UNSURE = 0.2
_REGION_LEVELS = ("village", "district", "regency")


def region_value(region: Region) -> dict[str, Any]:
    return asdict(region)


def location_from(parse: ParseResult, text: str, *, answer: bool = False) -> dict[str, Any] | None:
    """A location slot value when exactly one regency (or finer) is named.

    ``answer`` is true when ``text`` answers "where?": then all of it is the place.
    """
    regions = [r for r in parse.regions if r.level in _REGION_LEVELS]
    regencies = {r.regency_code for r in regions}
    if len(regions) == 0 or len(regencies) != 1:
        return None
    finest = min(regions, key=lambda r: _REGION_LEVELS.index(r.level))
    return {"text": text if answer else _place_words(parse, text), "region": region_value(finest)}


def _place_words(parse: ParseResult, text: str) -> str:
    """The citizen's own words for the place: the address if given, else the named region."""
    address = parse.entity("address")
    if address:
        return address.text
    named = next((e for e in parse.entities if e.type in _REGION_LEVELS), None)
    return named.text if named else text


def ambiguous_regions(parse: ParseResult) -> list[Region]:
    """Candidates when one name fits several regencies (Kota/Kab. Bogor)."""
    regions = [r for r in parse.regions if r.level in _REGION_LEVELS]
    return regions if len({r.regency_code for r in regions}) > 1 else []


def prefill(slots: dict[str, Any], proposal: dict[str, Any], parse: ParseResult, text: str) -> None:
    """Fill empty slots from ``parse``; unsure guesses go to ``proposal``."""
    if "kind" not in slots and (parse.kind or parse.category):
        slots["kind"] = parse.kind or "complaint"
    if "category" not in slots and parse.category:
        _propose_category(slots, proposal, parse)
    if "category" not in slots and "category" not in proposal and parse.category_guess:
        proposal["category_top"] = [s.label for s in parse.category_guess[:3]]
    if "location" not in slots:
        location = location_from(parse, text)
        if location:
            slots["location"] = location
        elif candidates := ambiguous_regions(parse):
            proposal["regions"] = [region_value(r) for r in candidates[:5]]
            proposal["region_name"] = spoken_name(parse, candidates[0])
    if "incident_date" not in slots and parse.incident_date:
        slots["incident_date"] = parse.incident_date.isoformat()


def _propose_category(slots: dict[str, Any], proposal: dict[str, Any], parse: ParseResult) -> None:
    if parse.category_confidence >= CATEGORY_SURE:
        slots["category"] = parse.category
    elif parse.category_confidence >= CATEGORY_UNSURE:
        ranking = [s.label for s in parse.category_ranking[:2]] or [str(parse.category)]
        proposal["category"] = ranking


def spoken_name(parse: ParseResult, region: Region) -> str:
    entity = next((e for e in parse.entities if e.type in _REGION_LEVELS), None)
    return entity.text if entity else region.name
