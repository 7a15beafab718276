"""What one message says beyond the question it answers.

Every answer is read for every slot: a place given when the date was asked fills
the place, a date given with the place fills the date. A first message that
tells something to file is the description, whatever the intent's score.
"""

from __future__ import annotations

from datetime import date

from nlu.types import ParseResult

# Words that say "I want to report" without telling what: "saya mau lapor, min".
_GENERIC = frozenset(
    [
        "saya",
        "aku",
        "sy",
        "gw",
        "gue",
        "kami",
        "mau",
        "ingin",
        "pengen",
        "pingin",
        "hendak",
        "akan",
        "lapor",
        "melapor",
        "melaporkan",
        "laporan",
        "laporkan",
        "pengaduan",
        "mengadu",
        "aduan",
        "adukan",
        "komplain",
        "complain",
        "report",
        "keluhan",
        "masalah",
        "min",
        "admin",
        "pak",
        "bu",
        "kak",
        "mas",
        "mbak",
        "bapak",
        "ibu",
        "tolong",
        "mohon",
        "bantu",
        "bantuan",
        "dong",
        "ya",
        "yah",
        "nih",
        "sih",
        "halo",
        "hai",
        "hi",
        "hallo",
        "selamat",
        "pagi",
        "siang",
        "sore",
        "malam",
        "assalamualaikum",
        "permisi",
        "izin",
        "ada",
        "sebuah",
        "satu",
        "mengenai",
        "tentang",
        "soal",
        "terkait",
        "i",
        "want",
        "to",
        "a",
        "an",
        "the",
        "please",
        "help",
    ]
)
CONTENT_WORDS = 3


def describes(parse: ParseResult, text: str, min_words: int) -> bool:
    """Whether a first message tells the problem (or the wish, or the question)."""
    if len(text.split()) < min_words:
        return False
    if parse.category is not None or parse.kind in {"aspiration", "information_request"}:
        return True
    content = [w for w in _words(text) if w not in _GENERIC]
    return parse.intent == "report" and len(content) >= CONTENT_WORDS


def incident_date(parse: ParseResult) -> date | None:
    """The date the message gives, unless it is part of an address ("Jl. 17 Agustus")."""
    addresses = [e for e in parse.entities if e.type == "address"]
    for entity in parse.entities:
        if entity.type != "date":
            continue
        if any(a.start <= entity.start and entity.end <= a.end for a in addresses):
            continue
        return date.fromisoformat(entity.value)
    return None


def _words(text: str) -> list[str]:
    return [w.strip(".,!?;:()\"'").lower() for w in text.split() if w.strip(".,!?;:()\"'")]
