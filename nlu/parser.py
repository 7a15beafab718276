"""The built-in parser: our classifiers plus our extractors."""

from __future__ import annotations

import re
from datetime import datetime

import numpy as np
import numpy.typing as npt

from nlu.extract import extract
from nlu.kind import NOT_A_REPORT, asks_information, detect_kind, negates_report, proposes
from nlu.language import detect_language
from nlu.model import NONE, Model
from nlu.normalize import normalize_folded
from nlu.regions import RegionIndex
from nlu.text import fold
from nlu.topics import other_topic
from nlu.types import ParseResult, ScoredLabel

# Below this the intent is a guess: answer as out of scope (the dialogue re-asks).
# Chosen by 5-fold cross-validation on the training data (never on the held-out set).
INTENT_FALLBACK = 0.4
# Below this the dialogue should offer ``category_ranking`` as a choice.
CATEGORY_CHOICE = 0.5
# A problem this clearly described is a report even if the intent model hesitates.
_CLEAR_PROBLEM = 0.6
# A question is about a public service when the category model is this sure of its topic.
_TOPICAL = 0.5
_OVERRIDABLE = frozenset({"out_of_scope", "greet", "help"})


class BuiltinParser:
    """Reads a message with the trained model and the region index (thread-safe)."""

    def __init__(self, model: Model, index: RegionIndex) -> None:
        self.model = model
        self.index = index

    def parse(self, text: str, now: datetime) -> ParseResult:
        """See ``nlu.types.Parser``."""
        folded = fold(text)
        normalized = normalize_folded(folded.text)
        intent, intent_confidence, ranking, proba = self._classify(normalized)
        guess = self.guess(proba)
        topical = bool(ranking) or bool(guess and guess[0].confidence >= _TOPICAL)
        intent = _reread_intent(normalized, intent, topical)
        extraction = extract(text, now, self.index, self.model.known_words, folded)
        category = ranking[0].label if ranking and intent == "report" else None
        kind = detect_kind(normalized, intent, category)
        if kind == "information_request" and category is None and topical and guess:
            category = guess[0].label  # a question names its topic: "jam buka dukcapil"
            ranking = guess[:2]
        return ParseResult(
            text=text,
            intent=intent,
            intent_confidence=intent_confidence,
            category=category,
            category_confidence=ranking[0].confidence if category else 0.0,
            category_ranking=ranking if category else (),
            kind=kind,
            regions=extraction.regions,
            regency=extraction.regency,
            incident_date=extraction.incident_date,
            ticket=extraction.ticket,
            language=detect_language(normalized.split()),
            entities=extraction.entities,
            category_guess=guess if intent == "report" else (),
            suggestions=extraction.suggestions,
            other_topic=other_topic(text, category, self.clause_category),
        )

    def classify(self, normalized: str) -> tuple[str, float, tuple[ScoredLabel, ...]]:
        """Intent, its confidence, and the top two categories (empty: no problem told)."""
        intent, confidence, ranking, _ = self._classify(normalized)
        return intent, confidence, ranking

    def _classify(
        self, normalized: str
    ) -> tuple[str, float, tuple[ScoredLabel, ...], npt.NDArray[np.float64]]:
        columns, values = self.model.featurizer.transform(normalized)
        intents = self.model.intent.proba(columns, values)
        best = int(intents.argmax())
        intent, confidence = self.model.intent.labels[best], float(intents[best])
        proba = self.model.category.proba(columns, values)
        ranking = self.categories(proba)
        words = normalized.split()
        if len(words) >= 2 and not any(w in self.model.known_words for w in words):
            return "out_of_scope", confidence, (), proba  # not one word we know: not ours to guess
        problem = ranking[0].confidence if ranking else 0.0
        if intent in _OVERRIDABLE and confidence < _CLEAR_PROBLEM <= problem:
            intent, confidence = "report", problem
        if confidence < INTENT_FALLBACK:
            intent = "out_of_scope"
        return intent, confidence, ranking, proba

    def guess(self, proba: npt.NDArray[np.float64]) -> tuple[ScoredLabel, ...]:
        """The top three categories, whether or not the text tells a problem."""
        labels = self.model.category.labels
        none = labels.index(NONE)
        mass = 1.0 - float(proba[none])
        if mass <= 0.0:
            return ()
        order = [i for i in np.argsort(-proba) if i != none and labels[i] != "other"][:3]
        return tuple(ScoredLabel(labels[i], float(proba[i]) / mass) for i in order)

    def clause_category(self, clause: str) -> tuple[str | None, float]:
        """The category one clause tells alone (``None`` when it tells none)."""
        _, _, ranking = self.classify(normalize_folded(fold(clause).text))
        return (ranking[0].label, ranking[0].confidence) if ranking else (None, 0.0)

    def categories(self, proba: npt.NDArray[np.float64]) -> tuple[ScoredLabel, ...]:
        """Top two categories, conditional on the text telling a problem."""
        labels = self.model.category.labels
        none = labels.index(NONE)
        if int(proba.argmax()) == none:
            return ()
        mass = 1.0 - float(proba[none])
        order = [i for i in np.argsort(-proba) if i != none][:2]
        return tuple(ScoredLabel(labels[i], float(proba[i]) / mass) for i in order)


def _reread_intent(normalized: str, intent: str, has_topic: bool) -> str:
    """Negations and questions the intent model cannot weigh.

    "bukan mau lapor, cuma tanya jam buka dukcapil" asks for information (filed as
    LAPOR!'s *permintaan informasi*); a bare "bukan mau lapor" is no report at all.
    """
    rest = NOT_A_REPORT.sub(" ", normalized)
    asking = asks_information(normalized) and has_topic and not _ABOUT_THE_BOT.search(rest)
    if asking and intent in _OVERRIDABLE | {"report"}:
        return "report"
    if intent == "report" and negates_report(normalized) and not (asking or proposes(normalized)):
        return "out_of_scope"
    return intent


# Questions about the bot itself ("cara melapor") are help, not information requests.
_ABOUT_THE_BOT = re.compile(
    r"\b(lapor|melapor|laporan|pengaduan|bot|aplikasi|status|tiket)\b(?! (mau|ingin))"
)
