"""Are two complaints about the same problem in the same place? A pure, conservative decision.

Precision matters more than recall: merging two different problems answers a
citizen wrongly, missing a duplicate only costs an officer a look. Two reports
are the same problem when they are close in time (``WINDOW_DAYS``), close in
place (within ``RADIUS_M`` by coordinates, the same kecamatan, or at least the
same kabupaten/kota with a stricter bar), and their texts are similar: cosine
of TF-IDF vectors over the NLU's own features (``nlu.features`` character
n-grams and words of the ``nlu.normalize`` form), with IDF from the reports
compared together.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import combinations

from nlu.features import char_ngrams
from nlu.normalize import normalize

WINDOW_DAYS = 21
RADIUS_M = 600.0
# The similarity needed, by how sure we are of the place. Chosen on the labelled pairs in
# tests/fixtures/insights/ (no held-out set yet): a little above the most similar
# different problems seen at each closeness, so precision first.
THRESHOLDS = {"near": 0.24, "district": 0.26, "regency": 0.32}
OTHER_CATEGORY_PENALTY = 0.20
_SHORT = 3  # words this short carry little meaning ("di", "yg", "km")


@dataclass(frozen=True, slots=True)
class Report:
    """What the decision looks at; ``key`` is the ticket."""

    key: str
    text: str
    day: date
    category: str | None = None
    regency: str | None = None
    district: str | None = None
    latitude: float | None = None
    longitude: float | None = None


def terms(text: str) -> Counter[str]:
    """The NLU's character n-grams plus whole words, of the normalised text."""
    normal = normalize(text)
    words = [f"w:{w}" for w in normal.split() if len(w) > _SHORT]
    return Counter([*char_ngrams(normal), *words])


class Similarity:
    """TF-IDF cosine over a fixed set of reports (IDF fitted on that set)."""

    def __init__(self, reports: Sequence[Report]) -> None:
        counted = {r.key: terms(r.text) for r in reports}
        documents = Counter(t for c in counted.values() for t in c)
        total = max(len(reports), 1)
        self.idf = {t: math.log((1 + total) / (1 + n)) + 1 for t, n in documents.items()}
        self.vectors = {key: self._vector(c) for key, c in counted.items()}

    def _vector(self, counts: Counter[str]) -> dict[str, float]:
        weights = {t: (1 + math.log(n)) * self.idf.get(t, 1.0) for t, n in counts.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {t: w / norm for t, w in weights.items()}

    def __call__(self, a: Report, b: Report) -> float:
        va, vb = self.vectors[a.key], self.vectors[b.key]
        if len(vb) < len(va):
            va, vb = vb, va
        return sum(w * vb.get(t, 0.0) for t, w in va.items())


def metres(a: Report, b: Report) -> float | None:
    """Great-circle distance when both reports carry coordinates."""
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return None
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))  # type: ignore[arg-type]
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(h))


def closeness(a: Report, b: Report) -> str | None:
    """How surely the two are in the same place: near, district, regency, or not at all."""
    apart = metres(a, b)
    if apart is not None and apart > 5 * RADIUS_M and a.district != b.district:
        return None
    if apart is not None and apart <= RADIUS_M:
        return "near"
    if a.district and a.district == b.district:
        return "district"
    if a.regency and a.regency == b.regency:
        return "regency"
    return None


def threshold(a: Report, b: Report) -> float | None:
    """The similarity two reports need to be one problem, or None when they cannot be."""
    if abs((a.day - b.day).days) > WINDOW_DAYS:
        return None
    place = closeness(a, b)
    if place is None:
        return None
    bar = THRESHOLDS[place]
    if a.category and b.category and a.category != b.category:
        bar += OTHER_CATEGORY_PENALTY
    return bar


def same_problem(a: Report, b: Report, similarity: Similarity) -> bool:
    bar = threshold(a, b)
    return bar is not None and similarity(a, b) >= bar


def groups(reports: Sequence[Report]) -> list[list[Report]]:
    """Reports that describe one problem, largest group first (singletons left out).

    Pairs are only compared within a kabupaten/kota (or without one, by
    coordinates); a group is joined only through pairs that each pass, and a
    group is kept only if every member matches at least half of the others, so
    one loose link cannot chain two problems together.
    """
    similarity = Similarity(reports)
    parent = {r.key: r.key for r in reports}

    def root(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    matched: set[tuple[str, str]] = set()
    for block in _blocks(reports):
        for a, b in combinations(block, 2):
            if same_problem(a, b, similarity):
                matched.add((a.key, b.key))
                matched.add((b.key, a.key))
                parent[root(a.key)] = root(b.key)
    found: dict[str, list[Report]] = {}
    for r in reports:
        found.setdefault(root(r.key), []).append(r)
    kept = [_cohesive(g, matched) for g in found.values() if len(g) > 1]
    return sorted((g for g in kept if len(g) > 1), key=lambda g: (-len(g), g[0].key))


def _blocks(reports: Iterable[Report]) -> list[list[Report]]:
    by_regency: dict[str | None, list[Report]] = {}
    for r in reports:
        by_regency.setdefault(r.regency, []).append(r)
    return list(by_regency.values())


def _cohesive(group: list[Report], matched: set[tuple[str, str]]) -> list[Report]:
    """Drop members linked to fewer than half of the rest (repeatedly)."""
    members = list(group)
    while len(members) > 2:
        links = {m.key: sum((m.key, o.key) in matched for o in members if o is not m) for m in members}
        weakest = min(members, key=lambda m: links[m.key])
        if 2 * links[weakest.key] >= len(members) - 1:
            break
        members.remove(weakest)
    return members
