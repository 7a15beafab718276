"""TF-IDF features over word and character n-grams, fast to apply to one message.

scikit-learn fits the vocabularies and IDF weights (``analyzer=`` our functions),
but a parse never calls scikit-learn: applying a fitted vectoriser to one short
message is a few dictionary look-ups, and skipping its per-call validation keeps
the whole parse well under a millisecond.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import numpy.typing as npt

from nlu.lexicon import cues
from nlu.slang import NEGATIONS

CHAR_MIN, CHAR_MAX = 2, 5
_NO_COLUMNS = np.zeros(0, dtype=np.intp)
_NO_VALUES = np.zeros(0, dtype=np.float64)


def word_ngrams(text: str) -> list[str]:
    """Words, word pairs, domain cues and a length bucket of normalised text."""
    words = text.split()
    pairs = [f"{a} {b}" for a, b in pairwise(words)]
    # "tidak banjir" is not about flooding: a negated word is a different feature.
    unigrams = [f"not_{w}" if i and words[i - 1] in NEGATIONS else w for i, w in enumerate(words)]
    return [*unigrams, *pairs, *cues(words), _length_bucket(len(words))]


def _length_bucket(count: int) -> str:
    # Short messages are answers and greetings far more often than reports.
    for limit in (1, 2, 4, 8, 16):
        if count <= limit:
            return f"len_{limit}"
    return "len_long"


def char_ngrams(text: str) -> list[str]:
    """Character 2- to 5-grams inside each word padded with spaces (like ``char_wb``)."""
    grams: list[str] = []
    for word in text.split():
        padded = f" {word} "
        for n in range(CHAR_MIN, min(CHAR_MAX, len(padded)) + 1):
            grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return grams


@dataclass(frozen=True, slots=True)
class Block:
    """One fitted TF-IDF block: term -> column, and the column IDF weights."""

    vocabulary: dict[str, int]
    idf: npt.NDArray[np.float64]
    offset: int


class Featurizer:
    """Sublinear TF-IDF, L2-normalised per block, as sparse (columns, values)."""

    _CACHE_LIMIT = 50_000

    def __init__(self, word: Block, char: Block) -> None:
        self.word = word
        self.char = char
        self.size = char.offset + len(char.idf)
        self._word_idf = np.asarray(word.idf, dtype=np.float64)
        self._char_idf = np.asarray(char.idf, dtype=np.float64)
        # Words repeat (Zipf): remember each word's character-gram columns.
        self._char_cache: dict[str, npt.NDArray[np.intp]] = {}

    def transform(self, text: str) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.float64]]:
        """Column indices and values of the feature vector of normalised ``text``."""
        vocabulary = self.word.vocabulary
        found = [vocabulary[g] for g in word_ngrams(text) if g in vocabulary]
        word_columns = np.array(found, dtype=np.intp) if found else _NO_COLUMNS
        parts = [self._char_columns(word) for word in text.split()]
        char_columns = np.concatenate(parts) if parts else _NO_COLUMNS
        word_cols, word_values = _tfidf(self._word_idf, word_columns)
        char_cols, char_values = _tfidf(self._char_idf, char_columns)
        columns = np.concatenate((word_cols, char_cols + self.char.offset))
        return columns, np.concatenate((word_values, char_values))

    def _char_columns(self, word: str) -> npt.NDArray[np.intp]:
        cached = self._char_cache.get(word)
        if cached is None:
            vocabulary = self.char.vocabulary
            found = [vocabulary[g] for g in char_ngrams(word) if g in vocabulary]
            cached = np.array(found, dtype=np.intp)
            if len(self._char_cache) >= self._CACHE_LIMIT:
                self._char_cache.clear()
            self._char_cache[word] = cached
        return cached


def _tfidf(
    idf: npt.NDArray[np.float64], found: npt.NDArray[np.intp]
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.float64]]:
    """(1 + log count) x IDF, L2-normalised: scikit-learn's sublinear TF-IDF, vectorised."""
    if not len(found):
        return _NO_COLUMNS, _NO_VALUES
    # np.unique is slow on small arrays: sort, then count the runs.
    ordered = np.sort(found)
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    columns = ordered[starts]
    counts = np.diff(np.append(starts, len(ordered)))
    values = (1.0 + np.log(counts)) * idf[columns]
    values /= np.sqrt(values @ values)
    return columns, values
