"""Filing into lapor-chat from another intake (Open311 ``POST requests``).

The complaint is written like one filed by chat: a fresh ticket, the LAPOR!
working-day deadlines, routed by category and region, a first history event
and an audit entry, all in one transaction. The filing system follows its
complaint with ``GET requests`` (there is no chat to push to, so the
reporter row is marked as not to be messaged).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.text_hygiene import clean, storable
from bot.core.workdays import due_dates
from bot.engine.dates import local_date
from bot.intake.turn_records import propose_title
from bot.officers.audit import audit
from bot.officers.auth import Principal
from bot.officers.routing import route
from nlu.types import CATEGORIES, Parser, Region
from storage.models import Complaint, Reporter, StatusEvent
from storage.tickets import new_ticket

MAX_DESCRIPTION = 4000
SCHEME = "open311"


@dataclass(frozen=True, slots=True)
class Filing:
    """A validated Open311 POST."""

    service_code: str
    description: str
    lat: float | None
    long: float | None
    address: str | None
    name: str | None
    phone: str | None
    confidential: bool
    anonymous: bool


class FilingError(ValueError):
    """What is missing or wrong in the POST (answered as the spec's 400)."""


def _flag(form: dict[str, str], name: str) -> bool:
    value = form.get(f"attribute[{name}]", "0").strip().lower()
    if value not in {"0", "1", "true", "false", ""}:
        raise FilingError(f"attribute[{name}] must be 0 or 1")
    return value in {"1", "true"}


def _coordinate(value: str | None, name: str, bound: float) -> float | None:
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except ValueError:
        raise FilingError(f"{name} must be a number") from None
    if not -bound <= number <= bound:
        raise FilingError(f"{name} is out of range")
    return number


def parse_filing(form: dict[str, str]) -> Filing:
    code = form.get("service_code", "")
    if not code:
        raise FilingError("service_code missing")
    if code not in CATEGORIES:
        raise FilingError(f"service_code {code} not found")
    lat, long = _coordinate(form.get("lat"), "lat", 90), _coordinate(form.get("long"), "long", 180)
    address = clean(form.get("address_string") or form.get("address_id") or "")[:500] or None
    if (lat is None or long is None) and not address:
        raise FilingError("a location is required: lat and long, or address_string")
    description = clean(form.get("description", ""))[:MAX_DESCRIPTION]
    if not description.strip():
        raise FilingError("description missing")
    name = clean(" ".join(filter(None, (form.get("first_name"), form.get("last_name")))))[:200] or None
    return Filing(
        service_code=code,
        description=description,
        lat=lat,
        long=long,
        address=address,
        name=name,
        phone=clean(form.get("phone", ""))[:32] or None,
        confidential=_flag(form, "rahasia"),
        anonymous=_flag(form, "anonim"),
    )


def _region(parser: Parser, address: str | None, now: datetime) -> Region | None:
    if not address:
        return None
    found = [r for r in parser.parse(address, now).regions if r.regency_code or r.level == "regency"]
    return found[0] if len(found) == 1 else None


async def file_request(
    session: AsyncSession, filing: Filing, who: Principal, parser: Parser, now: datetime
) -> Complaint:
    """Create the complaint in the caller's transaction (it commits); the complaint, flushed."""
    reporter = Reporter(
        address=f"{SCHEME}:{secrets.token_hex(12)}", channel=SCHEME,
        display_name=None if filing.anonymous else filing.name,
        phone=None if filing.anonymous else filing.phone,
        language="id", consented_at=now, opted_out=True, created_at=now, last_inbound_at=now,
    )  # fmt: skip
    session.add(reporter)
    await session.flush()
    region = _region(parser, filing.address, now)
    regency_code = region.regency_code or region.code if region else None
    dues = due_dates(local_date(now))
    complaint = Complaint(
        ticket=new_ticket(), conversation_id=f"{SCHEME}-{secrets.token_hex(12)}", reporter_id=reporter.id,
        kind="complaint", category=filing.service_code, title=propose_title(filing.description),
        description=storable(filing.description), description_raw=filing.description.encode(),
        location_text=storable(filing.address) if filing.address else None,
        latitude=filing.lat, longitude=filing.long,
        province_code=region.province_code if region else None,
        province_name=region.province_name if region else None,
        regency_code=regency_code,
        regency_name=(region.regency_name or region.name) if region else None,
        confidential=filing.confidential, anonymous=filing.anonymous, status="received", language="id",
        source_channel=SCHEME, source_message_ids=[], verify_due=dues.verify, forward_due=dues.forward,
        followup_due=dues.follow_up, created_at=now, updated_at=now,
    )  # fmt: skip
    agency = await route(session, complaint.category, complaint.regency_code)
    complaint.agency_id = agency.id if agency else None
    session.add(complaint)
    await session.flush()
    session.add(StatusEvent(complaint_id=complaint.id, at=now, actor=who.actor, to_status="received"))
    audit(session, who, "open311_filed", now, complaint_id=complaint.id)
    return complaint
