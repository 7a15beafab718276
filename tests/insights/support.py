"""Complaints with a chosen history, written straight into the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import count

from sqlalchemy import select

from bot.core.workdays import due_dates
from bot.engine.dates import local_date
from bot.runtime.process import Runtime
from storage.models import Agency, Complaint, Conversation, Reporter, StatusEvent
from storage.tickets import new_ticket

_numbers = count(1)


def at(day: str, hour: int = 3) -> datetime:
    """A UTC moment; 03:00 UTC is 10:00 in Jakarta."""
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


@dataclass
class Seed:
    """One complaint: its fields and its history as (moment, from, to)."""

    agency: str | None
    created: datetime
    moves: list[tuple[datetime, str, str]] = field(default_factory=list)
    kind: str = "complaint"
    category: str = "infrastructure"
    channel: str = "rest"
    anonymous: bool = False
    confidential: bool = False
    rating: int | None = None
    reopen_count: int = 0
    regency_code: str | None = "34.04"
    regency_name: str | None = "Kabupaten Sleman"
    title: str = "Jalan rusak"
    description: str = "Jalan berlubang di depan pasar"
    latitude: float | None = None
    longitude: float | None = None
    district_code: str | None = None
    language: str = "id"
    display_name: str | None = "Budi Santoso"
    phone: str | None = "+6281234567890"


async def plant(runtime: Runtime, seed: Seed) -> str:
    """Write ``seed``; its ticket. Due dates follow the LAPOR! chain from the Jakarta receipt date."""
    n = next(_numbers)
    received = local_date(seed.created)
    dues = due_dates(received)
    status = seed.moves[-1][2] if seed.moves else "received"
    resolved = [moment for moment, _, to in seed.moves if to == "resolved"]
    async with runtime.sessions() as session:
        reporter = Reporter(
            address=f"{seed.channel}:seed-{n}", channel=seed.channel, language=seed.language,
            display_name=seed.display_name, phone=seed.phone, created_at=seed.created,
        )  # fmt: skip
        session.add(reporter)
        await session.flush()
        agency_id = (
            await session.scalar(select(Agency.id).where(Agency.code == seed.agency)) if seed.agency else None
        )
        conversation = f"s{n:031d}"
        session.add(Conversation(id=conversation, reporter_id=reporter.id, started_at=seed.created))
        complaint = Complaint(
            ticket=new_ticket(), conversation_id=conversation, reporter_id=reporter.id, agency_id=agency_id,
            kind=seed.kind, category=seed.category, title=seed.title, description=seed.description,
            description_raw=seed.description.encode(), regency_code=seed.regency_code,
            regency_name=seed.regency_name, province_code=(seed.regency_code or "")[:2] or None,
            district_code=seed.district_code, latitude=seed.latitude, longitude=seed.longitude,
            status=status, language=seed.language, source_channel=seed.channel,
            verify_due=dues.verify, forward_due=dues.forward, followup_due=dues.follow_up,
            anonymous=seed.anonymous, confidential=seed.confidential, rating=seed.rating,
            reopen_count=seed.reopen_count, resolved_at=resolved[-1] if resolved else None,
            created_at=seed.created, updated_at=seed.moves[-1][0] if seed.moves else seed.created,
        )  # fmt: skip
        session.add(complaint)
        await session.flush()
        session.add(
            StatusEvent(complaint_id=complaint.id, at=seed.created, actor="reporter", to_status="received")
        )
        for moment, source, target in seed.moves:
            session.add(
                StatusEvent(
                    complaint_id=complaint.id,
                    at=moment,
                    actor="officer:1",
                    from_status=source,
                    to_status=target,
                )
            )
        await session.commit()
        return complaint.ticket
