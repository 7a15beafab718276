"""The built-in classifiers: train with scikit-learn, store as plain arrays, apply fast.

Two linear SVMs share one feature space: the intent model (9 intents) and the
category model (15 categories plus ``_none``, trained on reports that describe no
problem and on the other intents' sentences). Confidences are Platt-calibrated
with 5-fold cross-validation (``CalibratedClassifierCV``, method ``sigmoid``).
The artifact is an ``.npz`` of arrays and JSON (no pickle: loading it runs no code).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from nlu.data import Example
from nlu.features import Block, Featurizer, char_ngrams, word_ngrams
from nlu.normalize import normalize

FORMAT = 1
NONE = "_none"
_C = 0.5


@dataclass(frozen=True, slots=True)
class LinearModel:
    """A calibrated one-vs-rest linear classifier."""

    labels: tuple[str, ...]
    weights: npt.NDArray[np.float32]  # (features, classes): row gathers are contiguous
    intercept: npt.NDArray[np.float64]
    slope: npt.NDArray[np.float64]  # Platt a, per class
    offset: npt.NDArray[np.float64]  # Platt b, per class

    def proba(
        self, columns: npt.NDArray[np.intp], values: npt.NDArray[np.float64]
    ) -> npt.NDArray[np.float64]:
        """Calibrated probabilities of each label (sum to one)."""
        scores = values @ self.weights.take(columns, axis=0) + self.intercept
        p: npt.NDArray[np.float64] = 1.0 / (1.0 + np.exp(self.slope * scores + self.offset))
        total = p.sum()
        return p / total if total > 0 else np.full_like(p, 1.0 / len(p))


@dataclass(frozen=True, slots=True)
class Model:
    """Features plus both classifiers, and what they were trained on."""

    featurizer: Featurizer
    intent: LinearModel
    category: LinearModel
    fingerprint: str
    known_words: frozenset[str]


def train(examples: Sequence[Example], fingerprint: str = "") -> Model:
    """Fit both classifiers on ``examples`` (a few seconds)."""
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [normalize(e.text) for e in examples]
    word = TfidfVectorizer(analyzer=word_ngrams, sublinear_tf=True)
    char = TfidfVectorizer(analyzer=char_ngrams, sublinear_tf=True, min_df=2)
    matrix = hstack([word.fit_transform(texts), char.fit_transform(texts)]).tocsr()
    intent, _ = fit_linear(matrix, [e.intent for e in examples])
    category, _ = fit_linear(matrix, [e.category or NONE for e in examples])
    word_block = Block(dict(word.vocabulary_), word.idf_, 0)
    char_block = Block(dict(char.vocabulary_), char.idf_, len(word.idf_))
    known = frozenset(k for k in word.vocabulary_ if " " not in k)
    return Model(Featurizer(word_block, char_block), intent, category, fingerprint, known)


def fit_linear(matrix: Any, labels: list[str]) -> tuple[LinearModel, Any]:
    """A calibrated linear SVM; also returns the scikit-learn estimator (for tests)."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.svm import LinearSVC

    svm = LinearSVC(C=_C, class_weight="balanced")
    fitted = CalibratedClassifierCV(svm, method="sigmoid", cv=5, ensemble=False)
    fitted.fit(matrix, labels)
    calibrated = fitted.calibrated_classifiers_[0]
    estimator = calibrated.estimator
    model = LinearModel(
        labels=tuple(str(c) for c in estimator.classes_),
        weights=np.ascontiguousarray(estimator.coef_.T, dtype=np.float32),
        intercept=np.asarray(estimator.intercept_, dtype=np.float64),
        slope=np.array([c.a_ for c in calibrated.calibrators], dtype=np.float64),
        offset=np.array([c.b_ for c in calibrated.calibrators], dtype=np.float64),
    )
    return model, fitted


def save(model: Model, path: Path) -> None:
    """Write the artifact atomically (a reader never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    meta = {
        "format": FORMAT,
        "fingerprint": model.fingerprint,
        "intent_labels": model.intent.labels,
        "category_labels": model.category.labels,
    }
    arrays: dict[str, Any] = {
        "meta": _text_array(json.dumps(meta)),
        "word_vocab": _text_array(_vocabulary_text(model.featurizer.word.vocabulary)),
        "char_vocab": _text_array(_vocabulary_text(model.featurizer.char.vocabulary)),
        "word_idf": model.featurizer.word.idf,
        "char_idf": model.featurizer.char.idf,
    }
    for name, linear in (("intent", model.intent), ("category", model.category)):
        arrays[f"{name}_weights"] = linear.weights
        arrays[f"{name}_intercept"] = linear.intercept
        arrays[f"{name}_slope"] = linear.slope
        arrays[f"{name}_offset"] = linear.offset
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".npz")
    os.close(handle)
    try:
        np.savez(temporary, **arrays)
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)


def load(path: Path) -> Model:
    """Read an artifact written by ``save``; raises ``ValueError`` if it is not one."""
    with np.load(path, allow_pickle=False) as data:
        meta = json.loads(_text(data["meta"]))
        if meta.get("format") != FORMAT:
            raise ValueError(f"model format {meta.get('format')} != {FORMAT}")
        word_vocab = _vocabulary(_text(data["word_vocab"]))
        char_vocab = _vocabulary(_text(data["char_vocab"]))
        word = Block(word_vocab, data["word_idf"], 0)
        char = Block(char_vocab, data["char_idf"], len(word_vocab))
        intent = _linear(data, "intent", meta["intent_labels"])
        category = _linear(data, "category", meta["category_labels"])
    known = frozenset(k for k in word_vocab if " " not in k)
    return Model(Featurizer(word, char), intent, category, meta["fingerprint"], known)


def _linear(data: Any, name: str, labels: list[str]) -> LinearModel:
    return LinearModel(
        tuple(labels),
        data[f"{name}_weights"],
        data[f"{name}_intercept"],
        data[f"{name}_slope"],
        data[f"{name}_offset"],
    )


def _text_array(text: str) -> npt.NDArray[np.uint8]:
    return np.frombuffer(text.encode("utf-8"), dtype=np.uint8)


def _text(array: npt.NDArray[np.uint8]) -> str:
    return array.tobytes().decode("utf-8")


def _vocabulary_text(vocabulary: dict[str, int]) -> str:
    return "\n".join(term for term, _ in sorted(vocabulary.items(), key=lambda kv: kv[1]))


def _vocabulary(text: str) -> dict[str, int]:
    return {term: i for i, term in enumerate(text.split("\n"))} if text else {}
