"""Indonesian working days and the LAPOR! deadlines."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from bot.core.workdays import (
    AUTO_CLOSE_DAYS,
    FOLLOW_UP_DAYS,
    FORWARD_DAYS,
    VERIFY_DAYS,
    DueDates,
    add_working_days,
    due_dates,
    holidays_in,
    is_working_day,
    working_days_between,
)


def test_deadline_constants() -> None:
    assert (VERIFY_DAYS, FORWARD_DAYS, FOLLOW_UP_DAYS, AUTO_CLOSE_DAYS) == (3, 3, 5, 10)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 8, 17), False),  # Hari Kemerdekaan, a Monday
        (date(2026, 8, 18), True),
        (date(2026, 3, 20), False),  # cuti bersama Idul Fitri 1447 H (Friday)
        (date(2026, 3, 23), False),  # cuti bersama Idul Fitri (Monday)
        (date(2026, 3, 24), False),  # cuti bersama Idul Fitri (Tuesday)
        (date(2026, 3, 25), True),
        (date(2026, 3, 19), False),  # Nyepi
        (date(2026, 12, 24), False),  # cuti bersama Natal
        (date(2026, 12, 25), False),  # Natal
        (date(2025, 8, 18), False),  # cuti bersama after Independence Day 2025
        (date(2026, 3, 7), False),  # an ordinary Saturday
        (date(2026, 3, 8), False),  # an ordinary Sunday
        (date(2026, 3, 9), True),  # an ordinary Monday
    ],
)
def test_is_working_day(day: date, working: bool) -> None:
    assert is_working_day(day) is working


def test_idul_fitri_2026_comes_from_the_calendar() -> None:
    # 1 Syawal 1447 H falls on Saturday 21 March 2026; both days are holidays.
    assert {date(2026, 3, 21), date(2026, 3, 22)} <= holidays_in(2026)


def test_weekends_are_skipped() -> None:
    friday = date(2026, 3, 6)
    assert add_working_days(friday, 1) == date(2026, 3, 9)
    assert add_working_days(friday, 5) == date(2026, 3, 13)
    assert add_working_days(date(2026, 3, 7), 1) == date(2026, 3, 9)  # from a Saturday


def test_lebaran_week_is_skipped() -> None:
    # Tue 17 Mar 2026: Nyepi, cuti bersama and Idul Fitri close 18-24 March.
    assert add_working_days(date(2026, 3, 17), 1) == date(2026, 3, 25)
    assert add_working_days(date(2026, 3, 17), 3) == date(2026, 3, 27)


def test_independence_day_is_skipped() -> None:
    assert add_working_days(date(2026, 8, 14), 1) == date(2026, 8, 18)


def test_zero_and_negative_days() -> None:
    sunday = date(2026, 3, 8)
    assert add_working_days(sunday, 0) == sunday
    with pytest.raises(ValueError):
        add_working_days(sunday, -1)


def test_due_dates_chain() -> None:
    # Received Friday 14 Aug 2026: Independence Day (Mon 17) and Maulid Nabi (Tue 25) are off.
    assert due_dates(date(2026, 8, 14)) == DueDates(
        verify=date(2026, 8, 20), forward=date(2026, 8, 26), follow_up=date(2026, 9, 2)
    )
    # Around Lebaran and Good Friday (3 April 2026).
    assert due_dates(date(2026, 3, 17)) == DueDates(
        verify=date(2026, 3, 27), forward=date(2026, 4, 1), follow_up=date(2026, 4, 9)
    )


def test_auto_close_after_ten_working_days() -> None:
    # Friday; 24-25 Dec, New Year and Isra Mikraj (Tue 5 Jan 2027) are off.
    resolved = date(2026, 12, 18)
    assert add_working_days(resolved, AUTO_CLOSE_DAYS) == date(2027, 1, 7)


def test_working_days_between_counts_and_inverts() -> None:
    assert working_days_between(date(2026, 3, 17), date(2026, 3, 27)) == 3
    assert working_days_between(date(2026, 3, 27), date(2026, 3, 17)) == -3
    assert working_days_between(date(2026, 3, 6), date(2026, 3, 6)) == 0
    rng = random.Random(2026)
    for _ in range(300):
        start = date(2025, 1, 1) + timedelta(days=rng.randrange(900))
        days = rng.randrange(0, 40)
        end = add_working_days(start, days)
        assert working_days_between(start, end) == days
        naive = sum(is_working_day(start + timedelta(n)) for n in range(1, (end - start).days + 1))
        assert naive == days


def test_working_days_between_across_years() -> None:
    # 2026 has 261 weekdays; about twenty are national holidays or cuti bersama.
    weekday_holidays = sum(1 for d in holidays_in(2026) if d.weekday() < 5)
    expected = 261 - weekday_holidays
    assert working_days_between(date(2025, 12, 31), date(2026, 12, 31)) == expected
    assert 230 < expected < 250


def test_calendar_is_built_once_per_year() -> None:
    holidays_in.cache_clear()
    for offset in range(400):
        is_working_day(date(2026, 1, 1) + timedelta(days=offset))
    info = holidays_in.cache_info()
    assert (info.misses, info.currsize) == (2, 2)
