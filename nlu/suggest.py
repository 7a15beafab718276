"""Places the citizen may mean when the text names no kabupaten/kota.

When a location answer fails, a careful operator offers what they can: the
closest names they know ("Bandng" -> Kota/Kabupaten Bandung), the kabupaten/kota
of a kecamatan whose name is unique enough ("Ngaglik" -> Sleman), or the
regencies of the province the citizen named ("DIY"). Only short messages are
read (location answers); a long story is not combed for near-misses.
"""

from __future__ import annotations

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from nlu.region_names import NOT_PLACES
from nlu.regions import RegionIndex
from nlu.text import Token
from nlu.types import Region

MAX_WORDS = 8
MAX_SUGGESTIONS = 4
_MAX_DISTRICT_CODES = 3
_FINER = ("regency", "district", "village")


def suggest(
    index: RegionIndex, words: list[Token], regions: tuple[Region, ...], known: frozenset[str]
) -> tuple[Region, ...]:
    """Regencies to offer; empty when the text already names one, or is too long."""
    if any(r.level in _FINER for r in regions) or len(words) > MAX_WORDS:
        return ()
    provinces = [r for r in regions if r.level == "province"]
    if len(provinces) == 1:
        return tuple(index.region(c) for c in index.regencies_of(provinces[0].code))
    # A name that is also a word ("solo", "batu") was not taken without a cue: offer it first.
    codes = [c for t in words for c in index.keys["regency"].get(t.word, [])]
    for word in (t.word for t in words):
        if len(word) < 4 or not word.isalpha() or word in NOT_PLACES:
            continue
        codes += _district_regencies(index, word)
        if word not in known:
            codes += _close_names(index, word)
    unique = list(dict.fromkeys(codes))[:MAX_SUGGESTIONS]
    return tuple(index.region(c) for c in unique)


def _district_regencies(index: RegionIndex, word: str) -> list[str]:
    districts = index.keys["district"].get(word, [])
    if not districts or len(districts) > _MAX_DISTRICT_CODES:
        return []
    return [".".join(c.split(".")[:2]) for c in districts]


def _close_names(index: RegionIndex, word: str) -> list[str]:
    limit = 1 if len(word) < 7 else 2
    found = process.extract(word, index.fuzzy_keys, scorer=Levenshtein.distance, score_cutoff=limit, limit=3)
    codes: list[str] = []
    for key, _distance, _ in sorted(found, key=lambda f: f[1]):
        codes += index.keys["regency"].get(key, [])
    return codes
