"""A reporter with something in every place personal data can be, and a search for it everywhere."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select, update

from bot.runtime.process import Runtime
from storage.models import Attachment, Base, Complaint, Reporter
from tests.support.officers import bearer, file_by_chat, officer, say

ADDRESS = "rest:budi-santoso-0812"
NAME = "Budi Santoso"
PHONE = "+6281234567890"
NIK = "3404011234567890"
EMAIL = "budi.santoso@example.com"
DRAFT_WORDS = "gang kenanga nomor tujuh"  # said only in an unfinished draft
PHOTO = b"\xff\xd8\xff\xe0 photo-of-budi EXIF-SECRET-OWNER \xff\xd9"
DESCRIPTION = (
    "Jalan di depan rumah saya di Jl. Kaliurang km 5, Sleman rusak parah dan berlubang besar. "
    f"Saya {NAME}, hubungi 081234567890 atau {EMAIL}, NIK {NIK}."
)
OFFICER_NOTE = "Tim sudah menjadwalkan perbaikan"
# Everything that must be gone after an erasure, in the forms it can take.
NEEDLES = (
    NAME, PHONE, "081234567890", "6281234567890", NIK, EMAIL, ADDRESS, "budi-santoso-0812",
    DRAFT_WORDS, "photo-of-budi", "EXIF-SECRET-OWNER", hashlib.sha256(PHOTO).hexdigest(),
)  # fmt: skip


@dataclass
class Seeded:
    ticket: str
    token: str


async def seed(runtime: Runtime, client: httpx.AsyncClient, address: str = ADDRESS) -> Seeded:
    """A filed complaint (with a photo, a push, audit entries), identity fields and an open draft."""
    ticket = await file_by_chat(runtime, address, DESCRIPTION, display_name=NAME)
    async with runtime.sessions() as session:
        complaint = await session.scalar(select(Complaint).where(Complaint.ticket == ticket))
        assert complaint is not None
        await session.execute(
            update(Reporter)
            .where(Reporter.id == complaint.reporter_id)
            .values(
                phone=PHONE, nik_hash=hashlib.sha256(NIK.encode()).hexdigest(), nik_masked=NIK[:4] + "*" * 12
            )
        )
        session.add(
            Attachment(
                conversation_id=complaint.conversation_id, complaint_id=complaint.id,
                content_type="image/jpeg", size=len(PHOTO), sha256=hashlib.sha256(PHOTO).hexdigest(),
                width=4, height=3, content=PHOTO, created_at=runtime.clock(),
            )
        )  # fmt: skip
        await session.commit()
    agency = await _agency_of(runtime, ticket)
    token = await officer(runtime, "petugas@pupr.go.id", agency=agency, identity_access=True)
    changed = await client.post(
        f"/api/v1/complaints/{ticket}/status",
        json={"status": "verified", "note": OFFICER_NOTE, "internal_note": f"pelapor {NAME} ramah"},
        headers=bearer(token),
    )
    assert changed.status_code == 200, changed.text
    seen = await client.get(f"/api/v1/complaints/{ticket}/reporter", headers=bearer(token))
    assert seen.status_code == 200 and seen.json()["phone"] == PHONE
    await say(runtime, address, f"lampu jalan mati di {DRAFT_WORDS}, Sleman")  # a new draft, unfinished
    return Seeded(ticket, token)


async def _agency_of(runtime: Runtime, ticket: str) -> str | None:
    from storage.models import Agency

    async with runtime.sessions() as session:
        return await session.scalar(
            select(Agency.code)
            .join(Complaint, Complaint.agency_id == Agency.id)
            .where(Complaint.ticket == ticket)
        )


async def database_dump(runtime: Runtime) -> str:
    """Every row of every table, as text (bytes decoded leniently)."""
    lines = []
    async with runtime.sessions() as session:
        for table in Base.metadata.sorted_tables:
            for row in (await session.execute(select(table))).all():
                lines.append(f"{table.name}: " + " | ".join(_text(v) for v in row))
    return "\n".join(lines)


async def state_dump(runtime: Runtime) -> str:
    """Every key and value the state store holds (Redis: under this test's prefix; embedded: the file)."""
    settings = runtime.settings
    if settings.redis_url:
        from redis.asyncio import Redis

        client = Redis.from_url(settings.redis_url)
        try:
            found = []
            async for key in client.scan_iter(match=f"{settings.state_prefix}*"):
                kind = await client.type(key)
                value = await client.get(key) if kind == b"string" else b""
                found.append(f"{key!r} {value!r}")
            return "\n".join(found)
        finally:
            await client.aclose()
    return files_text(settings.state_path)


def files_text(path: Path) -> str:
    """The raw bytes of a SQLite file and its WAL, so deleted-but-not-overwritten data shows too."""
    parts = [p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists()]
    return b"".join(parts).decode("utf-8", "replace")


def found_in(haystack: str) -> list[str]:
    """The needles found in ``haystack`` (case-insensitive): empty when nothing personal is left."""
    lowered = haystack.lower()
    return [n for n in NEEDLES if n.lower() in lowered]


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
