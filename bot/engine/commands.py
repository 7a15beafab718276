"""Commands that work at any point of a conversation, in any channel.

Matched on the whole message, so "batal" cancels but "pembangunan batal
dilaksanakan" is a description. Telegram's ``/cmd@botname`` form is accepted.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

from nlu.types import ParseResult


class Command(StrEnum):
    CANCEL = "cancel"
    HELP = "help"
    RESTART = "restart"
    REPORT = "report"
    STATUS = "status"
    ENGLISH = "english"
    INDONESIAN = "indonesian"
    TOGGLE_LANGUAGE = "toggle_language"
    SKIP = "skip"
    ERASE = "erase"  # UU PDP: erase my data (and withdraw consent)


_WORDS: dict[Command, frozenset[str]] = {
    Command.CANCEL: frozenset({"batal", "batalkan", "cancel", "batal lapor", "gak jadi", "tidak jadi"}),
    Command.HELP: frozenset({"bantuan", "help", "tolong", "menu", "info"}),
    Command.RESTART: frozenset({"ulang", "mulai ulang", "mulai lagi", "restart", "start over"}),
    Command.REPORT: frozenset({"lapor", "report", "start", "buat laporan", "make a report"}),
    Command.ENGLISH: frozenset({"en", "english", "english please", "in english", "bahasa inggris"}),
    Command.INDONESIAN: frozenset({"id", "indonesia", "bahasa indonesia", "indonesian"}),
    Command.TOGGLE_LANGUAGE: frozenset({"bahasa", "language"}),
    Command.ERASE: frozenset(
        {"hapus data", "hapus_data", "hapus data saya", "delete my data", "delete_my_data", "erase my data"}
        | {"tarik persetujuan", "cabut persetujuan", "withdraw consent"}
    ),
    Command.SKIP: frozenset(
        {
            "lewati",
            "skip",
            "lewat",
            "tidak tahu",
            "gak tahu",
            "tidak ada",
            "-",
            "gak tau",
            "ga tau",
            "gatau",
            "nggak tau",
            "tidak tau",
            "tdk tau",
            "lupa",
            "ga ingat",
            "gak ingat",
            "don't know",
            "not sure",
        }
    ),
}
_STATUS = re.compile(r"^(?:cek\s+|check\s+)?status\b", re.IGNORECASE)
_BOT_SUFFIX = re.compile(r"^/(\w+)@\w+")


def normalize(text: str) -> str:
    """Lower-case, NFKC, single spaces, no leading slash or trailing punctuation."""
    folded = unicodedata.normalize("NFKC", text).strip().lower()
    folded = _BOT_SUFFIX.sub(r"/\1", folded).lstrip("/")
    return " ".join(folded.split()).strip(" .!?")


def detect(text: str, parse: ParseResult | None = None) -> Command | None:
    """The command ``text`` is, if it is one."""
    word = normalize(text)
    for command, words in _WORDS.items():
        if word in words:
            return command
    if _STATUS.match(word) or word in {"cek", "cek laporan", "cek tiket"}:
        return Command.STATUS
    if parse is not None and parse.intent == "check_status" and parse.ticket:
        return Command.STATUS
    return None
