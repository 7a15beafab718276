"""The simplest parser that works: keywords only. A fallback and a test double
for the engine; the trained model in this package replaces it."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from nlu.types import ParseResult, ScoredLabel

_JAKARTA = ZoneInfo("Asia/Jakarta")
_INTENTS = (
    ("check_status", re.compile(r"\b(status|cek laporan)\b")),
    ("greet", re.compile(r"^(halo|hai|hi|hello|pagi|siang|sore|malam|assalamualaikum)\b")),
    ("thanks", re.compile(r"\b(terima kasih|makasih|thanks|thank you)\b")),
    ("affirm", re.compile(r"^(ya|iya|yes|ok|oke|betul|benar)$")),
    ("deny", re.compile(r"^(tidak|no|bukan|gak|nggak)$")),
    ("help", re.compile(r"\b(bantuan|help)\b")),
)
_CATEGORIES = (
    ("corruption", re.compile(r"\b(pungli|suap|minta uang|gratifikasi)\b")),
    ("infrastructure", re.compile(r"\b(jalan|jembatan|berlubang|lampu jalan|trotoar|road)\b")),
    ("environment", re.compile(r"\b(sampah|banjir|limbah|pohon tumbang)\b")),
    ("health", re.compile(r"\b(puskesmas|rumah sakit|rsud|bpjs kesehatan|obat)\b")),
    ("education", re.compile(r"\b(sekolah|ppdb|guru|ijazah)\b")),
    ("utilities", re.compile(r"\b(pln|listrik|pdam|air mati)\b")),
)
_TICKET = re.compile(r"\bLPR-?([0-9A-Z]{8})\b", re.IGNORECASE)


class KeywordParser:
    """Intents, categories, tickets and "kemarin" from fixed keyword lists."""

    def parse(self, text: str, now: datetime) -> ParseResult:
        lowered = text.lower().strip()
        intent = next((name for name, rx in _INTENTS if rx.search(lowered)), None)
        category = next((name for name, rx in _CATEGORIES if rx.search(lowered)), None)
        if intent is None:
            intent = "report" if category or len(lowered.split()) >= 4 else "out_of_scope"
        ticket = _TICKET.search(text)
        today = now.astimezone(_JAKARTA).date()
        date = today - timedelta(days=1) if "kemarin" in lowered or "yesterday" in lowered else None
        return ParseResult(
            text=text,
            intent=intent,
            intent_confidence=0.9,
            category=category,
            category_confidence=0.9 if category else 0.0,
            category_ranking=(ScoredLabel(category, 0.9),) if category else (),
            kind="complaint" if category else None,
            incident_date=date,
            ticket=f"LPR-{ticket.group(1).upper()}" if ticket else None,
        )
