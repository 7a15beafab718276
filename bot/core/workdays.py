"""Indonesian working days and the LAPOR! deadlines (pure: no I/O, no clock).

A working day is Monday to Friday that is neither a national holiday (libur
nasional) nor a joint leave day (cuti bersama). The ``holidays`` package
provides both for Indonesia: national holidays in its ``public`` category,
cuti bersama in ``government``. Dates are calendar dates in Asia/Jakarta; the
caller converts a timestamp before asking.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from typing import NamedTuple

import holidays

VERIFY_DAYS = 3
FORWARD_DAYS = 3
FOLLOW_UP_DAYS = 5
AUTO_CLOSE_DAYS = 10

_CATEGORIES = ("public", "government")
_SATURDAY = 5


class DueDates(NamedTuple):
    """The deadlines of one complaint, each counted from the previous one."""

    verify: date
    forward: date
    follow_up: date


@lru_cache(maxsize=64)
def holidays_in(year: int) -> frozenset[date]:
    """National holidays and cuti bersama of ``year`` (built once per year)."""
    calendar = holidays.country_holidays("ID", years=year, categories=_CATEGORIES)
    return frozenset(calendar.keys())


def is_working_day(d: date) -> bool:
    """Monday to Friday and not a national holiday or cuti bersama."""
    return d.weekday() < _SATURDAY and d not in holidays_in(d.year)


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted).

    A complaint received on a Friday with 1 working day to go is due on the
    next working Monday; ``days=0`` gives ``start`` back unchanged.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    while days:
        current += timedelta(days=1)
        if is_working_day(current):
            days -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days in (start, end]; negative when ``end`` is before ``start``.

    The inverse of ``add_working_days``: ``working_days_between(s,
    add_working_days(s, n)) == n``. Computed per week, not per day, so that it
    stays cheap over the years a statistics query may span.
    """
    if end < start:
        return -working_days_between(end, start)
    weekdays = _weekdays_through(end) - _weekdays_through(start)
    off = sum(
        1
        for year in range(start.year, end.year + 1)
        for holiday in holidays_in(year)
        if start < holiday <= end and holiday.weekday() < _SATURDAY
    )
    return weekdays - off


def _weekdays_through(d: date) -> int:
    """Monday-to-Friday days from a fixed Monday epoch through ``d``."""
    # date.min (0001-01-01) is a Monday; ordinal 1 is that day.
    weeks, extra = divmod(d.toordinal(), 7)
    return weeks * 5 + min(extra, 5)


def due_dates(received: date) -> DueDates:
    """Verification, forwarding and first follow-up deadlines for a complaint.

    Forwarding is counted from the verification deadline and follow-up from
    the forwarding deadline, as LAPOR! chains its service levels.
    """
    verify = add_working_days(received, VERIFY_DAYS)
    forward = add_working_days(verify, FORWARD_DAYS)
    return DueDates(verify, forward, add_working_days(forward, FOLLOW_UP_DAYS))
