"""Relative dates resolve against the message time in Jakarta, never into the future."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from nlu.dates import find_dates
from nlu.parser import BuiltinParser
from tests.nlu.conftest import JAKARTA, NOW


def first(text: str, now: datetime = NOW) -> date | None:
    hits = find_dates(text.lower(), now)
    return hits[0].value if hits else None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kemarin", date(2024, 2, 29)),  # the leap day
        ("kmrn sore", date(2024, 2, 29)),
        ("wingi", date(2024, 2, 29)),
        ("yesterday", date(2024, 2, 29)),
        ("tadi pagi", date(2024, 3, 1)),
        ("semalam", date(2024, 2, 29)),
        ("kemarin lusa", date(2024, 2, 28)),
        ("5 hari yang lalu", date(2024, 2, 25)),
        ("2 minggu lalu", date(2024, 2, 16)),
        ("seminggu yg lalu", date(2024, 2, 23)),
        ("sebulan lalu", date(2024, 2, 1)),
        ("tgl 28", date(2024, 2, 28)),
        ("tgl 31", date(2024, 1, 31)),  # no 31 February: the latest 31st
        ("tgl 1 maret", date(2024, 3, 1)),
        ("tgl 3 maret", date(2023, 3, 3)),  # this year's is ahead: last year's
        ("tanggal 12 Februari 2024", date(2024, 2, 12)),
        ("3/2/2024", date(2024, 2, 3)),
        ("hari senin", date(2024, 2, 26)),
        ("jumat kemarin", date(2024, 2, 23)),  # today is a Friday
    ],
)
def test_relative_expressions(text: str, expected: date) -> None:
    assert first(text) == expected


def test_new_year_boundary() -> None:
    assert first("kemarin", datetime(2024, 1, 1, 8, 0, tzinfo=JAKARTA)) == date(2023, 12, 31)
    assert first("bulan lalu", datetime(2024, 3, 31, 8, 0, tzinfo=JAKARTA)) == date(2024, 2, 29)


def test_message_time_is_read_in_jakarta() -> None:
    # 18:00 UTC on 29 February is already 1 March, 01:00 in Jakarta.
    late = datetime(2024, 2, 29, 18, 0, tzinfo=UTC)
    assert first("hari ini", late) == date(2024, 3, 1)
    assert first("kemarin", late) == date(2024, 2, 29)


def test_tonight_depends_on_the_hour() -> None:
    evening = datetime(2024, 3, 1, 21, 0, tzinfo=JAKARTA)
    assert first("tadi malam", evening) == date(2024, 3, 1)
    assert first("tadi malam") == date(2024, 2, 29)
    assert first("semalam", evening) == date(2024, 2, 29)


@pytest.mark.parametrize("text", ["besok", "lusa", "tanggal 5 maret 2025", "rt 03/05", "jam 10.30"])
def test_never_the_future_and_no_false_dates(text: str) -> None:
    assert first(text) is None


def test_parse_result_carries_the_first_date(parser: BuiltinParser) -> None:
    result = parser.parse("lampu jalan mati sejak 2 minggu lalu, kemarin makin parah", NOW)
    assert result.incident_date == date(2024, 2, 16)
    dates = [e.value for e in result.entities if e.type == "date"]
    assert dates == ["2024-02-16", "2024-02-29"]
