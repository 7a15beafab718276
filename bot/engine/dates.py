"""Dates as citizens read them: "3 Des 2026" / "3 Dec 2026", in Jakarta time."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

JAKARTA = ZoneInfo("Asia/Jakarta")
_MONTHS = {
    "id": ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}


def local_date(moment: datetime) -> date:
    """The calendar date in Jakarta at ``moment`` (aware)."""
    return moment.astimezone(JAKARTA).date()


def format_date(day: date, language: str) -> str:
    months = _MONTHS.get(language, _MONTHS["id"])
    return f"{day.day} {months[day.month - 1]} {day.year}"
