"""CSV export of complaint lists, safe to open in a spreadsheet.

Complaint text is written by citizens, so any cell that a spreadsheet would
read as a formula (leading = + - @, tab or carriage return) gets a leading
apostrophe (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from bot.officers.schemas import ComplaintSummary

COLUMNS = (
    "ticket", "created_at", "status", "kind", "category", "agency", "regency_code", "regency_name",
    "title", "due_date", "overdue", "confidential", "anonymous", "reopen_count", "rating",
)  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> str:
    """A cell value no spreadsheet will evaluate."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def to_csv(rows: Iterable[ComplaintSummary]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        data = row.model_dump(mode="json")
        writer.writerow([neutralise(data[column]) for column in COLUMNS])
    return buffer.getvalue()
