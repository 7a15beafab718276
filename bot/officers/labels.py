"""Indonesian labels for the dashboard (officer-facing, not the citizen texts)."""

from __future__ import annotations

STATUS = {
    "received": "Diterima",
    "verified": "Terverifikasi",
    "in_progress": "Ditindaklanjuti",
    "needs_info": "Menunggu info pelapor",
    "resolved": "Selesai ditindaklanjuti",
    "closed": "Selesai",
    "rejected": "Ditolak",
}
REASON = {
    "bukan_wewenang": "Bukan wewenang",
    "tidak_dapat_diproses": "Tidak dapat diproses",
    "duplikat": "Duplikat",
    "spam": "Spam",
}
KIND = {"complaint": "Pengaduan", "aspiration": "Aspirasi", "information_request": "Permintaan informasi"}
URGENCY = {"overdue": "Lewat tenggat", "soon": "Segera", "ok": "Sesuai jadwal", "none": "-"}
ACTION = {
    "status": "Ubah status",
    "reopen": "Dibuka kembali",
    "route": "Disposisi",
    "merge": "Digabung",
    "merged_in": "Menerima gabungan",
    "reporter_reply": "Balasan pelapor",
}
NOTIFICATION = {
    "reporter_reply": "Balasan pelapor",
    "reopened": "Dibuka kembali",
    "closed": "Ditutup pelapor",
    "overdue": "Lewat tenggat",
}
ROLE = {"admin": "Admin", "officer": "Petugas", "viewer": "Pemantau"}
OUTBOX = {"failed": "Gagal", "dead": "Gagal permanen", "undelivered": "Tidak terkirim"}


def actor(value: str) -> str:
    """History actors as officers read them (no personal data either way)."""
    if value == "reporter":
        return "Pelapor"
    if value == "system":
        return "Sistem"
    return value.replace("officer:", "Petugas #")
