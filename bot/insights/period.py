"""The period a statistic covers: Jakarta calendar dates, counted by day, week or month."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal, get_args

Grain = Literal["day", "week", "month"]
GRAINS: tuple[Grain, ...] = get_args(Grain)
DEFAULT_DAYS = 90
MAX_DAYS = 3 * 366
FIRST_YEAR, LAST_YEAR = 2000, 2100  # far outside, dates overflow in SQL and bucket arithmetic


class PeriodError(ValueError):
    """A period that cannot be computed (end before start, too long, bad month)."""


@dataclass(frozen=True, slots=True)
class Period:
    """``start`` to ``end``, both included, in Asia/Jakarta dates."""

    start: date
    end: date
    grain: Grain = "week"

    def __post_init__(self) -> None:
        if not (self.start.year >= FIRST_YEAR and self.end.year <= LAST_YEAR):
            raise PeriodError(f"a period lies between {FIRST_YEAR} and {LAST_YEAR}")
        if self.end < self.start:
            raise PeriodError("the period ends before it starts")
        if (self.end - self.start).days > MAX_DAYS:
            raise PeriodError(f"a period is at most {MAX_DAYS} days")

    @classmethod
    def recent(cls, today: date, grain: Grain = "week") -> Period:
        return cls(today - timedelta(days=DEFAULT_DAYS - 1), today, grain)

    @classmethod
    def month(cls, text: str) -> Period:
        """ "2026-11" -> 1 to 30 November 2026, by day."""
        try:
            year, month = (int(part) for part in text.split("-"))
            first = date(year, month, 1)
            if not FIRST_YEAR <= year <= LAST_YEAR:
                raise ValueError(text)
        except ValueError:
            raise PeriodError(f"not a month: {text!r} (use YYYY-MM)") from None
        following = date(year + month // 12, month % 12 + 1, 1)
        return cls(first, following - timedelta(days=1), "day")

    @property
    def label(self) -> str:
        return f"{self.start.isoformat()} – {self.end.isoformat()}"


def buckets(period: Period) -> list[date]:
    """Every bucket start in ``period`` (so that empty days or weeks still show)."""
    first = bucket_of(period.start, period.grain)
    found: list[date] = []
    current = first
    while current <= period.end:
        found.append(current)
        current = _next(current, period.grain)
    return found


def bucket_of(day: date, grain: Grain) -> date:
    if grain == "week":
        return day - timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    return day


def _next(day: date, grain: Grain) -> date:
    if grain == "week":
        return day + timedelta(days=7)
    if grain == "month":
        return date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return day + timedelta(days=1)
