"""Calendar SQL that reads the same on SQLite and PostgreSQL.

Timestamps are stored in UTC; statistics count Jakarta dates (UTC+7, no daylight
saving). Working days come from ``bot.core.workdays`` (weekends, national holidays
and cuti bersama) as a small ``VALUES`` table: each date of the period with its
working-day number, so that the working days between two dates are one
subtraction of two joined numbers, inside the query.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import Date, Integer, column, func, values
from sqlalchemy.sql import ColumnElement
from sqlalchemy.sql.selectable import CTE

from bot.core.workdays import is_working_day
from bot.insights.period import Grain

JAKARTA_OFFSET = "+7 hours"


def local_day(moment: Any, dialect: str) -> ColumnElement[date]:
    """The Jakarta calendar date of a UTC timestamp column."""
    if dialect == "sqlite":
        return func.date(moment, JAKARTA_OFFSET, type_=Date)
    return func.date(func.timezone("Asia/Jakarta", moment), type_=Date)


def bucket(moment: Any, grain: Grain, dialect: str) -> ColumnElement[date]:
    """The first day of the day, ISO week (Monday) or month ``moment`` falls in."""
    if dialect == "sqlite":
        if grain == "week":
            # "weekday 0" moves forward to Sunday; six days back is that week's Monday.
            return func.date(moment, JAKARTA_OFFSET, "weekday 0", "-6 days", type_=Date)
        if grain == "month":
            return func.strftime("%Y-%m-01", moment, JAKARTA_OFFSET, type_=Date)
        return local_day(moment, dialect)
    if grain == "day":
        return local_day(moment, dialect)
    truncated = func.date_trunc(grain, func.timezone("Asia/Jakarta", moment))
    return func.date(truncated, type_=Date)


def working_calendar(start: date, end: date, name: str = "cal") -> CTE:
    """``(day, n)`` for every date in [start, end]: n counts working days in (start, day]."""
    rows: list[tuple[date, int]] = []
    number, current = 0, start
    while current <= end:
        if current > start and is_working_day(current):
            number += 1
        rows.append((current, number))
        current += timedelta(days=1)
    # A CTE: SQLite has no column aliases on a VALUES in FROM, both accept WITH cal(day, n).
    return values(column("day", Date), column("n", Integer), name=name).data(rows).cte(name)
