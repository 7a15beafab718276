"""What the statistics answer: plain typed records, also the JSON of ``/api/v1/stats``."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel


class PeriodOut(BaseModel):
    start: date
    end: date
    grain: str


class Count(BaseModel):
    key: str
    label: str
    count: int


class SeriesPoint(BaseModel):
    start: date
    received: int
    resolved: int


class Duration(BaseModel):
    """Working days (Indonesian calendar) from receipt to a milestone."""

    metric: str  # verification | first_response | resolution
    count: int
    median: int | None
    p90: int | None


class Compliance(BaseModel):
    """Deadlines met and missed; ``agency`` None is the whole selection."""

    agency: str | None
    stage: str  # verification | follow_up
    met: int
    missed: int
    share_met: float | None


class OverdueItem(BaseModel):
    ticket: str
    agency: str | None
    status: str
    stage: str
    due_date: date
    days_over: int


class Reopens(BaseModel):
    resolved: int
    reopened: int
    rate: float | None


class Satisfaction(BaseModel):
    rated: int
    mean: float | None
    share_satisfied: float | None  # rating 4 or 5
    by_rating: dict[str, int]


class Problem(BaseModel):
    category: str
    regency: str
    count: int


class Place(BaseModel):
    """Complaints of one kabupaten/kota that carry coordinates, at their mean position."""

    regency: str
    label: str
    latitude: float
    longitude: float
    count: int


class Statistics(BaseModel):
    """Everything the statistics page shows, for one selection."""

    period: PeriodOut
    total: int
    counts: dict[str, list[Count]]
    series: list[SeriesPoint]
    durations: list[Duration]
    compliance: list[Compliance]
    overdue_total: int
    overdue: list[OverdueItem]
    reopens: Reopens
    satisfaction: Satisfaction
    top_problems: list[Problem]
    places: list[Place]


class StatsOut(BaseModel):
    """``/api/v1/stats``: the scope-wide counts it always had, then the period's statistics."""

    total: int
    overdue: int
    by_status: dict[str, int]
    statistics: Statistics
