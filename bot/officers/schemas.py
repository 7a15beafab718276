"""The API's request and response shapes (they make the OpenAPI schema)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field

from bot.core.text_hygiene import clean
from bot.officers.lifecycle import RejectionReason, Status

# Officer input: control characters, NUL and bidi overrides removed (as for citizens' text).
Text = Annotated[str, AfterValidator(clean)]

NOTE = Field(default=None, max_length=2000, description="Shown to the reporter in their chat.")
INTERNAL = Field(default=None, max_length=2000, description="Seen by officers only.")
StatusName = Literal["received", "verified", "in_progress", "needs_info", "resolved", "closed", "rejected"]
Reason = Literal["bukan_wewenang", "tidak_dapat_diproses", "duplikat", "spam"]
assert set(StatusName.__args__) == set(Status)  # type: ignore[attr-defined]
assert set(Reason.__args__) == set(RejectionReason)  # type: ignore[attr-defined]


class Error(BaseModel):
    detail: str


class Me(BaseModel):
    email: str
    role: str
    agency: str | None
    identity_access: bool


class AgencyOut(BaseModel):
    code: str
    name: str
    region_code: str | None


class ComplaintSummary(BaseModel):
    ticket: str
    kind: str
    category: str
    title: str
    status: str
    agency: str | None = Field(description="Agency code")
    province_name: str | None
    regency_code: str | None
    regency_name: str | None
    confidential: bool
    anonymous: bool
    created_at: datetime
    updated_at: datetime
    due_date: date | None = Field(description="The deadline the current status works against")
    urgency: Literal["overdue", "soon", "ok", "none"]
    overdue: bool
    reopen_count: int
    rating: int | None


class Event(BaseModel):
    at: datetime
    actor: str
    action: str
    from_status: str | None
    to_status: str | None
    public_note: str | None
    internal_note: str | None


class AttachmentOut(BaseModel):
    id: int
    content_type: str
    size: int
    sha256: str
    width: int | None
    height: int | None


class TranscriptLine(BaseModel):
    direction: Literal["in", "out"]
    text: str
    at: datetime


class ReporterOut(BaseModel):
    """Never present for an anonymous complaint; identity itself is a separate, audited call."""

    channel: str
    language: str
    opted_out: bool


class ComplaintDetail(ComplaintSummary):
    description: str
    location_text: str | None
    district_name: str | None
    village_name: str | None
    latitude: float | None
    longitude: float | None
    incident_date: date | None
    language: str
    source_channel: str
    verify_due: date | None
    forward_due: date | None
    followup_due: date | None
    resolved_at: datetime | None
    closed_at: datetime | None
    rejection_reason: str | None
    merged_into: str | None
    allowed_statuses: list[str]
    reporter: ReporterOut | None
    history: list[Event]
    attachments: list[AttachmentOut]
    transcript: list[TranscriptLine]


class ComplaintPage(BaseModel):
    items: list[ComplaintSummary]
    total: int
    limit: int
    offset: int


class Identity(BaseModel):
    display_name: str | None
    phone: str | None
    address: str
    nik_masked: str | None
    channel: str
    language: str


class Stats(BaseModel):
    total: int
    overdue: int
    by_status: dict[str, int]


class StatusChange(BaseModel):
    status: StatusName
    note: Text | None = NOTE
    internal_note: Text | None = INTERNAL
    reason: Reason | None = Field(default=None, description="Required when status is rejected")


class RouteRequest(BaseModel):
    agency: Text = Field(min_length=1, max_length=32, description="Code of the agency to dispose to")
    note: Text | None = NOTE
    internal_note: Text | None = INTERNAL


class InfoRequest(BaseModel):
    question: Text = Field(min_length=1, max_length=2000, description="Sent to the reporter")
    internal_note: Text | None = INTERNAL


class MergeRequest(BaseModel):
    into: Text = Field(min_length=1, max_length=32, description="Ticket of the complaint to keep")
    note: Text | None = NOTE
    internal_note: Text | None = INTERNAL


class RejectRequest(BaseModel):
    reason: Reason
    note: Text | None = NOTE
    internal_note: Text | None = INTERNAL


class ActionOut(BaseModel):
    ticket: str
    status: str
    previous_status: str
    event_id: int
    push: Literal["queued", "suppressed", "none"]


class Notification(BaseModel):
    id: int
    ticket: str
    kind: str
    text: str
    created_at: datetime
    read_at: datetime | None


class Failure(BaseModel):
    id: int
    ticket: str | None
    channel: str
    kind: str
    status: str
    attempts: int
    last_error: str | None
    message_key: str | None
    updated_at: datetime
