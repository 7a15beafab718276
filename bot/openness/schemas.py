"""The open-data API's JSON shapes (documented in the OpenAPI schema)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime

from pydantic import BaseModel, Field

from bot.officers.csv_export import neutralise
from bot.openness.queries import Page
from bot.openness.records import PublicComplaint
from bot.openness.stats import Figures


class PublicEventOut(BaseModel):
    at: datetime
    status: str | None
    note: str = Field(description="The officer's public note, personal data masked")


class PublicComplaintOut(BaseModel):
    ticket: str
    kind: str
    category: str
    title: str
    description: str = Field(description="The citizen's words with NIK, phones, e-mails and names masked")
    location: str
    province: str | None
    regency_code: str | None = Field(description="Kemendagri code of the kabupaten/kota")
    regency: str | None
    district: str | None
    lat: float | None = Field(description="Rounded to 3 decimals (about 100 m)")
    long: float | None
    agency_code: str | None
    agency: str | None
    status: str
    created_at: datetime
    updated_at: datetime
    verify_due: date | None
    followup_due: date | None
    verify_deadline: str = Field(description="met | missed | pending | none")
    followup_deadline: str = Field(description="met | missed | pending | none")
    resolved_at: datetime | None
    closed_at: datetime | None
    timeline: list[PublicEventOut]


class PageOut(BaseModel):
    items: list[PublicComplaintOut]
    total: int
    page: int
    per_page: int
    pages: int


class AgencyOut(BaseModel):
    code: str
    name: str
    complaints: int | None = Field(description="null when fewer than 3 (small cell)")
    decided: int
    on_time: int
    on_time_share: float | None = Field(description="null when fewer than 3 decided")


class StatsOut(BaseModel):
    total: int
    this_month: int
    month: str
    agencies: list[AgencyOut]
    ratings: int | None
    satisfaction: float | None
    by_category: dict[str, int | None]
    by_status: dict[str, int | None]
    by_region: dict[str, int | None]


def complaint_out(c: PublicComplaint) -> PublicComplaintOut:
    return PublicComplaintOut(
        ticket=c.ticket, kind=c.kind, category=c.category, title=c.title, description=c.description,
        location=c.location, province=c.province, regency_code=c.regency_code, regency=c.regency,
        district=c.district, lat=c.lat, long=c.long, agency_code=c.agency_code, agency=c.agency,
        status=c.status, created_at=c.created_at, updated_at=c.updated_at, verify_due=c.verify_due,
        followup_due=c.followup_due, verify_deadline=c.verify_deadline.value,
        followup_deadline=c.followup_deadline.value, resolved_at=c.resolved_at, closed_at=c.closed_at,
        timeline=[PublicEventOut(at=e.at, status=e.status, note=e.note) for e in c.timeline],
    )  # fmt: skip


def page_out(page: Page) -> PageOut:
    items = [complaint_out(c) for c in page.items]
    return PageOut(items=items, total=page.total, page=page.page, per_page=page.per_page, pages=page.pages)


def stats_out(f: Figures) -> StatsOut:
    agencies = [
        AgencyOut(code=a.code, name=a.name, complaints=a.complaints, decided=a.decided, on_time=a.on_time,
                  on_time_share=a.on_time_share)
        for a in f.agencies
    ]  # fmt: skip
    return StatsOut(
        total=f.total, this_month=f.this_month, month=f.month, agencies=agencies, ratings=f.ratings,
        satisfaction=f.satisfaction, by_category=f.by_category, by_status=f.by_status, by_region=f.by_region,
    )  # fmt: skip


CSV_COLUMNS = (
    "ticket", "created_at", "updated_at", "status", "kind", "category", "agency_code", "agency",
    "regency_code", "regency", "title", "description", "verify_due", "verify_deadline", "followup_due",
    "followup_deadline", "latest_note",
)  # fmt: skip


def to_csv(items: Iterable[PublicComplaint]) -> str:
    """Spreadsheet-safe CSV (formula-looking cells neutralised)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for c in items:
        data = complaint_out(c).model_dump(mode="json")
        data["latest_note"] = c.latest_note
        writer.writerow([neutralise(data[column]) for column in CSV_COLUMNS])
    return buffer.getvalue()
