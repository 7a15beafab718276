"""Incident dates from relative Indonesian (and some English, Javanese, Sundanese).

Everything is resolved against the message time in Asia/Jakarta and is never in
the future: "3 maret" in February means last year's, "besok" is no incident date.
Works on folded, lowercased text and returns folded spans.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

JAKARTA = ZoneInfo("Asia/Jakarta")

_MONTHS = {
    "jan": 1, "januari": 1, "january": 1,
    "feb": 2, "februari": 2, "pebruari": 2, "february": 2, "peb": 2,
    "mar": 3, "maret": 3, "march": 3, "mrt": 3,
    "apr": 4, "april": 4,
    "mei": 5, "may": 5,
    "jun": 6, "juni": 6, "june": 6,
    "jul": 7, "juli": 7, "july": 7,
    "agu": 8, "agt": 8, "agus": 8, "agustus": 8, "aug": 8, "august": 8, "ags": 8,
    "sep": 9, "sept": 9, "september": 9,
    "okt": 10, "oktober": 10, "oct": 10, "october": 10,
    "nov": 11, "nop": 11, "november": 11, "nopember": 11,
    "des": 12, "desember": 12, "dec": 12, "december": 12,
}  # fmt: skip
_NUMBERS = {
    "se": 1, "satu": 1, "a": 1, "an": 1, "one": 1,
    "dua": 2, "two": 2, "tiga": 3, "three": 3, "empat": 4, "four": 4,
    "lima": 5, "five": 5, "enam": 6, "six": 6, "tujuh": 7, "seven": 7,
    "delapan": 8, "eight": 8, "sembilan": 9, "nine": 9, "sepuluh": 10, "ten": 10,
}  # fmt: skip
_UNIT_DAYS = {"hari": 1, "hr": 1, "day": 1, "days": 1, "minggu": 7, "mgg": 7, "mg": 7,
              "pekan": 7, "week": 7, "weeks": 7}  # fmt: skip
_UNIT_MONTHS = {"bulan": 1, "bln": 1, "month": 1, "months": 1, "tahun": 12, "thn": 12,
                "th": 12, "year": 12, "years": 12}  # fmt: skip
_WEEKDAYS = {
    "senin": 0, "selasa": 1, "rabu": 2, "kamis": 3, "jumat": 4, "jum'at": 4, "sabtu": 5,
    "minggu": 6, "ahad": 6, "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3,
    "friday": 4, "saturday": 5, "sunday": 6,
}  # fmt: skip

_AGO = r"(?:(?:yang|yg)\s+)?(?:lalu|lalu|kemarin|kemaren|kmrn|ago|sebelumnya|kepungkur)"
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_COUNT = r"(\d{1,3}|satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|an?|one|two|three|four|five|six|seven|eight|nine|ten)"  # noqa: E501
_UNIT = r"(hari|hr|days?|minggu|mgg|mg|pekan|weeks?|bulan|bln|months?|tahun|thn|th|years?)"
_WEEKDAY = r"(senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|ahad|monday|tuesday|wednesday|thursday|friday|saturday|sunday)"  # noqa: E501

_SINCE = (
    r"(?:sudah|sdh|udah|udh|dah|uda|sejak|semenjak|sjk|selama|slama|dari|dr|sedari|hampir|"
    r"wis|uwis|for|since|already)"
)
_ABOUT = (
    r"(?:(?:sekitar|kurang lebih|kira2|kira-kira|kira kira|hampir|lebih dari|lebih|lbh|about|"
    r"almost|over)\s+)?"
)
# Order matters: longer, more specific phrases first; matched spans are consumed.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("dmy", re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})\b")),
    ("iso", re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")),
    ("day_month", re.compile(
        rf"\b(?:(?:tgl|tanggal|tg|date)\.?\s*)?(\d{{1,2}})(?:st|nd|rd|th)?\s*[-/ ]?\s*({_MONTH})\b\.?(?:\s*(\d{{4}}))?")),  # noqa: E501
    ("month_day", re.compile(rf"\b({_MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s*(\d{{4}}))?")),
    ("tgl_dm", re.compile(r"\b(?:tgl|tanggal|tg)\.?\s*(\d{1,2})[/.-](\d{1,2})\b")),
    ("tgl_d", re.compile(r"\b(?:tgl|tanggal|tg)\.?\s*(\d{1,2})\b")),
    ("count_ago", re.compile(rf"\b(?:{_COUNT}\s*|(se))\s*{_UNIT}\s*{_AGO}\b")),
    # "udh seminggu", "sejak 3 hari", "for two weeks": a duration up to now.
    ("count_ago", re.compile(rf"\b{_SINCE}\s+(?:[a-z]+\s+)?{_ABOUT}(?:{_COUNT}\s*|(se))\s*{_UNIT}(?:an)?\b")),
    # "3 hari ini", "seminggu terakhir", "2 weeks now".
    ("count_ago", re.compile(
        rf"\b(?:{_COUNT}\s*|(se))\s*{_UNIT}(?:an)?\s+(?:ini|terakhir|belakangan|now)\b")),
    ("last_unit", re.compile(
        r"\b(?:(minggu|pekan|bulan|bln|tahun|thn)\s+(?:(?:yang|yg)\s+)?(?:lalu|kemarin|kemaren|kmrn)|last\s+(week|month|year))\b")),
    ("two_days", re.compile(r"\b(?:kemarin|kemaren|kmrn)\s+(?:lusa|dulu)\b")),
    ("weekday", re.compile(rf"\b(?:(hari|last|on)\s+)?{_WEEKDAY}(?:\s+({_AGO}))?\b")),
    ("night", re.compile(
        r"\b(semalam|smlm|last night|tadi malam|td malam|tadi mlm|td mlm|malam tadi|kemarin malam|kmrn malam|kemaren malam|wingi bengi|tadi wengi)\b")),  # noqa: E501
    ("yesterday", re.compile(r"\b(kemarin|kemaren|kmrn|kmren|kmarin|kmrin|yesterday|wingi|kamari|kemarennya)\b")),  # noqa: E501
    ("today", re.compile(
        r"\b(hari ini|hr ini|tadi pagi|td pagi|tadi siang|td siang|tadi sore|td sore|pagi tadi|siang tadi|sore tadi|pagi ini|siang ini|sore ini|barusan|this morning|this afternoon|today|earlier today|mau isuk|isuk mau|tadi enjing)\b")),  # noqa: E501
]  # fmt: skip


@dataclass(frozen=True, slots=True)
class DateHit:
    """A resolved date at the folded span ``[start, end)``."""

    value: date
    start: int
    end: int
    approximate: bool = False


def local_today(now: datetime) -> date:
    """The date of ``now`` in Jakarta (naive datetimes are taken as UTC)."""
    if now.tzinfo is None:
        now = now.replace(tzinfo=ZoneInfo("UTC"))
    return now.astimezone(JAKARTA).date()


def find_dates(lowered: str, now: datetime) -> list[DateHit]:
    """Every past or present date expression in ``lowered``, in text order."""
    local = now.astimezone(JAKARTA) if now.tzinfo else now.replace(tzinfo=JAKARTA)
    taken: list[tuple[int, int]] = []
    hits: list[DateHit] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(lowered):
            if any(match.start() < e and s < match.end() for s, e in taken):
                continue
            resolved = _resolve(kind, match, local)
            if resolved is None:
                continue
            value, approximate = resolved
            taken.append((match.start(), match.end()))
            if value <= local.date():
                hits.append(DateHit(value, match.start(), match.end(), approximate))
    return sorted(hits, key=lambda h: h.start)


def _resolve(kind: str, m: re.Match[str], now: datetime) -> tuple[date, bool] | None:
    today = now.date()
    if kind == "dmy":
        return _exact(today, int(m.group(1)), int(m.group(2)), _year(m.group(3)))
    if kind == "iso":
        return _exact(today, int(m.group(3)), int(m.group(2)), int(m.group(1)))
    if kind == "day_month":
        year = int(m.group(3)) if m.group(3) else None
        return _exact(today, int(m.group(1)), _MONTHS[m.group(2)], year)
    if kind == "month_day":
        year = int(m.group(3)) if m.group(3) else None
        return _exact(today, int(m.group(2)), _MONTHS[m.group(1)], year)
    if kind == "tgl_dm":
        return _exact(today, int(m.group(1)), int(m.group(2)), None)
    if kind == "tgl_d":
        return _day_only(today, int(m.group(1)))
    if kind == "count_ago":
        return _ago(today, m.group(1) or m.group(2), m.group(3))
    if kind == "last_unit":
        unit = m.group(1) or m.group(2)
        return _ago(today, "1", unit)
    return _relative(kind, m, now)


def _relative(kind: str, m: re.Match[str], now: datetime) -> tuple[date, bool] | None:
    today = now.date()
    if kind == "two_days":
        return today - timedelta(days=2), False
    if kind == "weekday":
        return _weekday(today, m.group(1), m.group(2), m.group(3))
    if kind == "night":
        # "tadi malam" said in the evening is tonight; "semalam" is always last night.
        tonight = m.group(1) in {"tadi malam", "td malam", "tadi mlm", "td mlm", "malam tadi"}
        return (today if tonight and now.hour >= 18 else today - timedelta(days=1)), False
    if kind == "yesterday":
        return today - timedelta(days=1), False
    if kind == "today":
        return today, False
    return None


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def _exact(today: date, day: int, month: int, year: int | None) -> tuple[date, bool] | None:
    """A calendar date; without a year the latest one not in the future."""
    try:
        if year is not None:
            return date(year, month, day), False
        value = date(today.year, month, day)
        if value > today:
            value = date(today.year - 1, month, day)
    except ValueError:
        return None
    return value, False


def _day_only(today: date, day: int) -> tuple[date, bool] | None:
    """ "tgl 28": this month's 28th, or last month's when that is still ahead."""
    year, month = today.year, today.month
    for _ in range(3):
        if day <= monthrange(year, month)[1] and date(year, month, day) <= today:
            return date(year, month, day), False
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return None


def _ago(today: date, count_text: str, unit: str) -> tuple[date, bool] | None:
    count = int(count_text) if count_text.isdigit() else _NUMBERS.get(count_text, 0)
    if count <= 0 or count > 400:
        return None
    if unit in _UNIT_DAYS:
        return today - timedelta(days=count * _UNIT_DAYS[unit]), _UNIT_DAYS[unit] > 1
    months = count * _UNIT_MONTHS[unit]
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    day = min(today.day, monthrange(year, month + 1)[1])
    return date(year, month + 1, day), True


def _weekday(today: date, prefix: str | None, name: str, ago: str | None) -> tuple[date, bool] | None:
    # "minggu" alone means "week"; only "hari minggu" is Sunday.
    if name == "minggu" and prefix != "hari":
        return None
    target = _WEEKDAYS[name.replace("'", "")]
    back = (today.weekday() - target) % 7
    if back == 0 and (ago or prefix == "last"):
        back = 7
    return today - timedelta(days=back), False
