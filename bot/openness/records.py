"""The public shape of a complaint, built only through the privacy rules.

``PublicComplaint`` holds nothing about the reporter. Its texts are masked
with ``privacy.mask_public``; callers never see the stored record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from bot.engine.dates import local_date
from bot.openness.privacy import is_public, mask_public, rounded
from storage.models import Complaint, StatusEvent

FOLLOWED_UP = frozenset({"in_progress", "resolved", "closed"})
CLOSED = frozenset({"resolved", "closed", "rejected"})


class Deadline(StrEnum):
    MET = "met"
    MISSED = "missed"
    PENDING = "pending"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class PublicEvent:
    """One step of the public timeline: when, to which status, the officer's public note."""

    at: datetime
    status: str | None
    note: str


@dataclass(frozen=True, slots=True)
class PublicComplaint:
    ticket: str
    kind: str
    category: str
    title: str
    description: str
    location: str
    province: str | None
    regency_code: str | None
    regency: str | None
    district: str | None
    lat: float | None
    long: float | None
    agency_code: str | None
    agency: str | None
    status: str
    created_at: datetime
    updated_at: datetime
    verify_due: date | None
    followup_due: date | None
    verify_deadline: Deadline
    followup_deadline: Deadline
    resolved_at: datetime | None
    closed_at: datetime | None
    timeline: tuple[PublicEvent, ...] = field(default=())

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED

    @property
    def place(self) -> str:
        """Where, as one line: the text given, then kecamatan, kabupaten/kota, province."""
        return ", ".join(p for p in (self.location, self.district, self.regency, self.province) if p)

    @property
    def latest_note(self) -> str:
        notes = [e.note for e in self.timeline if e.note]
        return notes[-1] if notes else ""

    @property
    def expected(self) -> date | None:
        """The date the next step is due (Open311 ``expected_datetime``)."""
        if self.status == "received":
            return self.verify_due
        if self.status in {"verified", "needs_info"}:
            return self.followup_due
        return None


def deadline_state(due: date | None, done_at: datetime | None, today: date) -> Deadline:
    """Met or missed once done (or once the due date passed), else pending."""
    if due is None:
        return Deadline.NONE
    if done_at is not None:
        return Deadline.MET if local_date(done_at) <= due else Deadline.MISSED
    return Deadline.MISSED if today > due else Deadline.PENDING


def first_at(events: Iterable[StatusEvent], statuses: Iterable[str] | None) -> datetime | None:
    """When the first event reaching one of ``statuses`` (any change from received, if None) happened."""
    wanted = frozenset(statuses) if statuses is not None else None
    times = [
        e.at
        for e in events
        if e.to_status and (e.to_status in wanted if wanted is not None else e.to_status != "received")
    ]
    return min(times) if times else None


def to_public(
    complaint: Complaint,
    events: Sequence[StatusEvent],
    agency: tuple[str, str] | None,
    today: date,
    known_names: Sequence[str] = (),
) -> PublicComplaint:
    """The public view of one non-confidential complaint; refuses a confidential one."""
    if not is_public(complaint):
        raise ValueError("a confidential complaint has no public view")

    def mask(text: str | None) -> str:
        return mask_public(text, today, known_names)

    rejected = complaint.status == "rejected"
    return PublicComplaint(
        ticket=complaint.ticket,
        kind=complaint.kind,
        category=complaint.category,
        title=mask(complaint.title),
        description=mask(complaint.description),
        location=mask(complaint.location_text),
        province=complaint.province_name,
        regency_code=complaint.regency_code,
        regency=complaint.regency_name,
        district=complaint.district_name,
        lat=rounded(complaint.latitude),
        long=rounded(complaint.longitude),
        agency_code=agency[0] if agency else None,
        agency=agency[1] if agency else None,
        status=complaint.status,
        created_at=complaint.created_at,
        updated_at=complaint.updated_at,
        verify_due=complaint.verify_due,
        followup_due=complaint.followup_due,
        verify_deadline=deadline_state(complaint.verify_due, first_at(events, None), today),
        followup_deadline=Deadline.NONE
        if rejected
        else deadline_state(complaint.followup_due, first_at(events, FOLLOWED_UP), today),
        resolved_at=complaint.resolved_at,
        closed_at=complaint.closed_at,
        timeline=_timeline(events, mask),
    )


def _timeline(events: Sequence[StatusEvent], mask: Callable[[str | None], str]) -> tuple[PublicEvent, ...]:
    """Status steps and officers' public notes; a reporter's own words (replies) stay private."""
    steps = []
    for e in events:
        note = mask(e.public_note) if e.actor != "reporter" else ""
        if e.to_status or note:
            steps.append(PublicEvent(e.at, e.to_status, note))
    return tuple(steps)
