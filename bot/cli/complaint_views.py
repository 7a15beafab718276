"""Complaint records as plain dicts, for the CLI (staff-side, full detail)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bot.runtime.settings import Settings
from storage.db import create_engine, session_factory
from storage.models import Complaint
from storage.tickets import normalize_ticket

_FIELDS = (
    "ticket", "kind", "category", "title", "description", "location_text",
    "province_name", "regency_name", "district_name", "village_name", "regency_code",
    "latitude", "longitude", "incident_date", "confidential", "anonymous", "status",
    "language", "source_channel", "verify_due", "forward_due", "followup_due",
    "created_at", "updated_at",
)  # fmt: skip


def as_record(complaint: Complaint) -> dict[str, Any]:
    record = {name: _plain(getattr(complaint, name)) for name in _FIELDS}
    record["reporter"] = "(anonymous)" if complaint.anonymous else complaint.reporter.address
    record["history"] = [
        {
            "at": e.at.isoformat(),
            "actor": e.actor,
            "from": e.from_status,
            "to": e.to_status,
            "note": e.public_note,
        }
        for e in complaint.events
    ]
    record["attachments"] = [
        {"content_type": a.content_type, "size": a.size, "sha256": a.sha256} for a in complaint.attachments
    ]
    return record


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


async def show_complaint(settings: Settings, ticket: str) -> dict[str, Any] | None:
    engine = create_engine(settings.database_url)
    try:
        async with session_factory(engine)() as session:
            complaint = await session.scalar(
                select(Complaint)
                .where(Complaint.ticket == (normalize_ticket(ticket) or ticket))
                .options(
                    selectinload(Complaint.reporter),
                    selectinload(Complaint.events),
                    selectinload(Complaint.attachments),
                )
            )
            return as_record(complaint) if complaint else None
    finally:
        await engine.dispose()


async def list_complaints(settings: Settings, limit: int) -> list[dict[str, Any]]:
    engine = create_engine(settings.database_url)
    try:
        async with session_factory(engine)() as session:
            rows = await session.scalars(select(Complaint).order_by(Complaint.id.desc()).limit(limit))
            return [
                {"ticket": c.ticket, "status": c.status, "category": c.category, "title": c.title}
                for c in rows
            ]
    finally:
        await engine.dispose()
