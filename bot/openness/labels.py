"""Public labels in Bahasa Indonesia and English (the citizen texts hold the categories)."""

from __future__ import annotations

from dialogues.texts import Texts

STATUS = {
    "received": ("Diterima", "Received"),
    "verified": ("Terverifikasi", "Verified"),
    "in_progress": ("Ditindaklanjuti", "In progress"),
    "needs_info": ("Menunggu info pelapor", "Waiting for the reporter"),
    "resolved": ("Selesai ditindaklanjuti", "Resolved"),
    "closed": ("Selesai", "Closed"),
    "rejected": ("Ditolak", "Rejected"),
}
KIND = {
    "complaint": ("Pengaduan", "Complaint"),
    "aspiration": ("Aspirasi", "Aspiration"),
    "information_request": ("Permintaan informasi", "Information request"),
}
DEADLINE = {
    "met": ("tepat waktu", "on time"),
    "missed": ("terlambat", "late"),
    "pending": ("berjalan", "running"),
    "none": ("-", "-"),
}


def category(texts: Texts, code: str, language: str = "id") -> str:
    key = f"category.{code}"
    return texts.render(key, language) if texts.has(key, language) else code


def status(code: str | None, language: str = "id") -> str:
    pair = STATUS.get(code or "")
    return (pair[0] if language == "id" else pair[1]) if pair else (code or "-")


def both(pair: tuple[str, str]) -> str:
    """ "Diterima / Received"."""
    return f"{pair[0]} / {pair[1]}"
