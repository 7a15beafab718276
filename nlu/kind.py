"""Complaint, aspiration or information request: read from clear cues only.

LAPOR! files three kinds of submission. A suggestion ("saran", "usul") is an
aspiration, a question about a procedure or a service ("mohon info", "cuma
tanya jam buka") an information request, a reported problem a complaint. A
negated report ("bukan mau lapor") is no complaint: it is what else it says, or
nothing. Unclear text gives ``None`` and the dialogue asks.
"""

from __future__ import annotations

import re

_INFORMATION = re.compile(
    r"\b(mohon info|minta info|info dong|informasi (tentang|mengenai|soal)|minta informasi|"
    r"mohon informasi|mohon infonya|minta infonya|bagaimana cara|bagaimana caranya|"
    r"cara (mengurus|membuat|bikin|buat|daftar|mendaftar|mengajukan|urus)|apa (saja )?syarat|"
    r"syaratnya|persyaratan|prosedur|berapa (biaya|lama|tarif|harga)|how (do|can) i|how to|"
    r"where can i|ingin (bertanya|tahu)|mau (tanya|nanya|bertanya)|(cuma|cm|hanya|sekedar|sekadar) "
    r"(mau |ingin )?(tanya|nanya|bertanya|info)|jam (buka|operasional|pelayanan|layanan)|"
    r"(buka|tutup) jam berapa|jam berapa (buka|tutup)|what time|opening hours|just asking|"
    r"(want|would like) to ask|is it true that|apakah benar)\b"
)
_ASPIRATION = re.compile(
    r"\b(saran|menyarankan|usul|usulan|mengusulkan|aspirasi|masukan|sebaiknya|"
    r"alangkah baiknya|mohon dipertimbangkan|berharap|harapan (kami|saya)|"
    r"mohon (dibangun|diadakan|ditambah|diperbanyak)|perlu (dibangun|diadakan|ditambah)|suggest|"
    r"suggestion|would be (great|nice)|please consider)\b"
)
_COMPLAINT = re.compile(
    r"\b(lapor|melapor|melaporkan|laporkan|mengadu|adu|aduan|pengaduan|keluhan|mengeluh|"
    r"mengeluhkan|komplain|complaint|complain|kecewa|rusak|tidak|belum|pungli|report)\b"
)
# "bukan mau lapor", "tidak mengadu kok", "not a complaint": the citizen says what it is not.
NOT_A_REPORT = re.compile(
    r"\b(bukan|tidak|not|no) (mau |ingin |untuk |buat |a |an )?"
    r"(lapor|melapor|melaporkan|laporan|mengadu|pengaduan|aduan|komplain|complain|complaint|report)\b"
)


def negates_report(normalized: str) -> bool:
    """Whether the text says it is not a report ("bukan mau lapor")."""
    return NOT_A_REPORT.search(normalized) is not None


def asks_information(normalized: str) -> bool:
    """Whether the text asks about a service or procedure ("cuma tanya jam buka")."""
    return _INFORMATION.search(normalized) is not None


def proposes(normalized: str) -> bool:
    """Whether the text suggests or wishes something ("usul", "sebaiknya")."""
    return _ASPIRATION.search(normalized) is not None


def detect_kind(normalized: str, intent: str, category: str | None) -> str | None:
    """The submission kind of a report; ``None`` for other intents or unclear text."""
    if intent != "report":
        return None
    if asks_information(normalized):
        return "information_request"
    if _ASPIRATION.search(normalized):
        return "aspiration"
    if negates_report(normalized):
        return None
    if category is not None or _COMPLAINT.search(normalized):
        return "complaint"
    return None
