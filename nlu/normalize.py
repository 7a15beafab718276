"""Text normalisation for the classifiers: one canonical spelling per meaning.

NFKC and lowercase; identifiers (tickets, e-mails, phones, NIK, links) become
placeholders; emoji become a few meaningful tokens; letter runs fold
("tolonggg" -> "tolong"); reduplication expands ("anak2" -> "anak anak"); our slang
table applies, except to protected English words. Negations are mapped, never dropped.
"""

from __future__ import annotations

import re

from nlu.identifiers import TICKET
from nlu.slang import DOUBLE_LETTER_WORDS, ENGLISH_PROTECTED, SLANG
from nlu.text import fold, lower

_URL = re.compile(r"\b(?:https?://|www\.)\S+")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_LONG_NUMBER = re.compile(r"\+?\d[\d .-]{7,}\d")
_REDUPLICATION = re.compile(r"\b([a-z]{2,})2\b")
_THOUSANDS = re.compile(r"\b(\d+)\s*(?:rb|rbu|ribu|k)\b")
_MILLIONS = re.compile(r"\b(\d+)\s*(?:jt|jta|juta)\b")
_RUN = re.compile(r"([a-z])\1{2,}")
_TOKEN = re.compile(r"_[a-z]+_|[a-z0-9]+(?:'[a-z]+)?|\?")

_EMOJI_TOKENS = {
    "_pray_": "🙏",
    "_ok_": "👍👌✅✔☑🆗💯",
    "_no_": "👎❌✖🚫⛔",
    "_upset_": "😡😠🤬😤😭😢😞😩😫😔☹🙁😥😰😱",
    "_laugh_": "😂🤣😆😅😁😄😃😀😹",
    "_wave_": "👋",
    "_smile_": "🙂😊☺😉😍🥰❤♥",
}
_EMOJI = {char: token for token, chars in _EMOJI_TOKENS.items() for char in chars}


def normalize(text: str) -> str:
    """The canonical, space-separated form of ``text`` used by the classifiers."""
    return normalize_folded(fold(text).text)


def normalize_folded(folded: str) -> str:
    """``normalize`` for text already folded by ``nlu.text.fold``."""
    s = lower(folded)
    s = _URL.sub(" _url_ ", s)
    s = _EMAIL.sub(" _email_ ", s)
    s = TICKET.sub(" _ticket_ ", s)
    s = _LONG_NUMBER.sub(" _number_ ", s)
    s = _THOUSANDS.sub(r"\1 ribu", s)
    s = _MILLIONS.sub(r"\1 juta", s)
    if not s.isascii():
        s = "".join(_emoji(c) for c in s)
    s = _REDUPLICATION.sub(r"\1 \1", s)
    words = _TOKEN.findall(s)
    out: list[str] = []
    for i, word in enumerate(words):
        following = words[i + 1] if i + 1 < len(words) else ""
        out.append(_canonical(_fold_runs(word), following))
    return " ".join(out)


def _emoji(char: str) -> str:
    if char in _EMOJI:
        return f" {_EMOJI[char]} "
    # Any other pictograph is still a signal (a chatty message), not noise.
    if "\U0001f300" <= char <= "\U0001faff" or "\u2600" <= char <= "\u27bf":
        return " _emoji_ "
    return char


def _fold_runs(word: str) -> str:
    if not _RUN.search(word):
        return word
    doubled = _RUN.sub(r"\1\1", word)
    if doubled in DOUBLE_LETTER_WORDS or doubled in SLANG:
        return doubled
    return _RUN.sub(r"\1", word)


def _canonical(word: str, following: str) -> str:
    if word == "no" and following[:1].isdigit():
        return "nomor"
    if word in ENGLISH_PROTECTED:
        return word
    return SLANG.get(word, word)
