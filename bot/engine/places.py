"""The place of a complaint: never filed without a kabupaten/kota.

A failed answer is never taken as the place. The citizen is offered what the bot
can: the regencies the words may mean (close spellings, a kecamatan's regency, a
named province's regencies), the Kota/Kabupaten choice for a shared name, or a
button to share a location. The citizen's own words for the spot ("depan pasar
kembang") and a shared point are kept until the regency arrives.
"""

from __future__ import annotations

import re
from typing import Any

from bot.engine.matching import pick
from bot.engine.prefill import ambiguous_regions, location_from, region_value, spoken_name
from bot.engine.questions import Questions, region_title
from nlu.types import ParseResult, Region

MAX_BUTTONS = 10
# Words that describe a spot even without a regency: worth keeping for later.
_SPOT = re.compile(
    r"\b(jl|jln|jalan|gang|gg|depan|dpn|dekat|deket|dkt|samping|sebelah|belakang|pasar|sekolah|sd|"
    r"smp|sma|rt|rw|desa|ds|kampung|kp|dusun|perumahan|perum|komplek|blok|no|nomor|masjid|"
    r"kantor|terminal|stasiun|simpang|perempatan|pertigaan|near|street|road)\b",
    re.IGNORECASE,
)


class Places(Questions):
    """Reading and asking the location slot (mixed into the step)."""

    parse: ParseResult

    # -- reading an answer --------------------------------------------------------

    def read_place(self, text: str) -> dict[str, Any] | None:
        """The location this answer gives (merged with kept words), or ``None``."""
        found = location_from(self.parse, text, answer=True)
        if found is None:
            return None
        return self._merged(found)

    def offer_places(self, text: str) -> bool:
        """Set up a choice of regencies from this answer; ``False`` when there is none."""
        candidates = ambiguous_regions(self.parse)
        proposal = self.state.proposal
        if candidates:
            proposal["regions"] = [region_value(r) for r in candidates[:5]]
            proposal["region_name"] = spoken_name(self.parse, candidates[0])
            proposal.pop("suggested", None)
        elif self.parse.suggestions:
            self._suggest(self.parse.suggestions)
            if "regions" not in proposal:
                return True  # asked by name within the province
        else:
            return False
        self.keep_words(text)
        return True

    def keep_words(self, text: str) -> None:
        """Keep the citizen's words for the spot when they describe one."""
        if _SPOT.search(text) or self.parse.entity("address"):
            self.state.proposal["location_text"] = text.strip()

    def keep_point(self, point: dict[str, Any]) -> None:
        self.state.proposal["point"] = point
        self.say("ask_regency_for_point")

    def _suggest(self, regions: tuple[Region, ...]) -> None:
        proposal = self.state.proposal
        provinces = {r.province_name for r in regions}
        named = any(r.level == "province" for r in self.parse.regions)
        if named and len(regions) > MAX_BUTTONS:
            proposal.pop("regions", None)
            self.say("ask_regency_in_province", {"province": provinces.pop()})
            return
        proposal["regions"] = [region_value(r) for r in regions[:MAX_BUTTONS]]
        proposal["region_name"] = provinces.pop() if named and len(provinces) == 1 else ""
        proposal["suggested"] = True

    def _merged(self, found: dict[str, Any]) -> dict[str, Any]:
        proposal = self.state.proposal
        kept = proposal.pop("location_text", None)
        text = str(found.get("text") or "")
        if kept and kept.lower() not in text.lower():
            found["text"] = f"{kept}, {text}" if text else kept
        point = proposal.pop("point", None)
        if point:
            found["lat"], found["lon"] = point.get("lat"), point.get("lon")
            found["text"] = found["text"] or point.get("text")
        for key in ("regions", "region_name", "suggested"):
            proposal.pop(key, None)
        return found

    # -- the region choice ----------------------------------------------------------

    def answer_region(self) -> None:
        """The answer to a Kota/Kabupaten or a suggestion choice."""
        regions = self.state.proposal.get("regions", [])
        answer = pick(self.message_text(), self.state.choices)
        chosen = next((r for r in regions if r["code"] == answer), None)
        if chosen is not None:
            text = self.state.proposal.get("location_text") or region_title(chosen)
            self.state.proposal["location_text"] = text
            self.state.slots["location"] = self._merged({"text": "", "region": chosen})
        elif (found := self.read_place(self.message_text())) is not None:
            self.state.slots["location"] = found
        elif not self.offer_places(self.message_text()):
            self.say("retry_choice")
        self.advance()

    def message_text(self) -> str:
        raise NotImplementedError


def routable(location: Any) -> bool:
    """Whether a location value names a kabupaten/kota (so an agency can be found)."""
    if not isinstance(location, dict):
        return False
    region = location.get("region") or {}
    return bool(region.get("regency_code") or region.get("level") == "regency")
