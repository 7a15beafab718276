"""Complaint, aspiration or information request: read from clear cues only.

LAPOR! files three kinds of submission. A suggestion ("saran", "usul") is an
aspiration, a question about a procedure ("mohon info", "bagaimana cara") an
information request, a reported problem a complaint. Unclear text gives ``None``
and the dialogue asks.
"""

from __future__ import annotations

import re

_INFORMATION = re.compile(
    r"\b(mohon info|minta info|info dong|informasi (tentang|mengenai|soal)|minta informasi|"
    r"bagaimana cara|cara (mengurus|membuat|daftar|mendaftar|mengajukan)|apa (saja )?syarat|"
    r"syaratnya|persyaratan|prosedur|berapa (biaya|lama)|how (do|can) i|how to|"
    r"where can i|ingin (bertanya|tahu)|mau tanya)\b"
)
_ASPIRATION = re.compile(
    r"\b(saran|menyarankan|usul|usulan|mengusulkan|aspirasi|masukan|sebaiknya|"
    r"alangkah baiknya|mohon dipertimbangkan|berharap|harapan (kami|saya)|"
    r"mohon (dibangun|diadakan|ditambah)|perlu (dibangun|diadakan|ditambah)|suggest|"
    r"suggestion|would be (great|nice)|please consider)\b"
)
_COMPLAINT = re.compile(
    r"\b(lapor|melapor|melaporkan|laporkan|mengadu|adu|aduan|pengaduan|keluhan|mengeluh|"
    r"mengeluhkan|komplain|complaint|complain|kecewa|rusak|tidak|belum|pungli|report)\b"
)


def detect_kind(normalized: str, intent: str, category: str | None) -> str | None:
    """The submission kind of a report; ``None`` for other intents or unclear text."""
    if intent != "report":
        return None
    if _INFORMATION.search(normalized):
        return "information_request"
    if _ASPIRATION.search(normalized):
        return "aspiration"
    if category is not None or _COMPLAINT.search(normalized):
        return "complaint"
    return None
