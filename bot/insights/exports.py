"""Exports for analysts: CSV and XLSX of complaints in the officer's scope, streamed.

Rows are read in keyset pages of ``BATCH`` (newest first) with only the
exported columns selected, so 100,000 rows never sit in memory at once. Cells
a spreadsheet would read as a formula get a leading apostrophe (and XLSX cells
are typed as text). Reporter name and phone appear only for accounts with the
identity grant, and never for an anonymous report: the SQL does not even
select them then.
"""

from __future__ import annotations

import asyncio
import csv
import io
import os
import tempfile
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from sqlalchemy import Select, and_, case, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import ColumnElement

from bot.engine.dates import JAKARTA
from bot.insights.stats import identity_choice
from bot.officers.auth import Principal
from bot.officers.csv_export import neutralise
from bot.officers.deadlines import overdue_clause
from bot.officers.queries import ComplaintFilter, conditions
from bot.officers.scope import visible
from storage.models import Agency, Complaint, Reporter

BATCH = 1000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _columns(today: date) -> dict[str, ColumnElement[Any]]:
    due = case(
        (Complaint.status == "received", Complaint.verify_due),
        (Complaint.status == "verified", Complaint.followup_due),
        else_=None,
    )
    return {
        "ticket": Complaint.ticket.expression,
        "created_at": Complaint.created_at.expression,
        "status": Complaint.status.expression,
        "kind": Complaint.kind.expression,
        "category": Complaint.category.expression,
        "agency": Agency.code.expression,
        "province_code": Complaint.province_code.expression,
        "province_name": Complaint.province_name.expression,
        "regency_code": Complaint.regency_code.expression,
        "regency_name": Complaint.regency_name.expression,
        "district_name": Complaint.district_name.expression,
        "village_name": Complaint.village_name.expression,
        "title": Complaint.title.expression,
        "channel": Complaint.source_channel.expression,
        "identity": identity_choice(),
        "due_date": due,
        "overdue": overdue_clause(today),
        "verify_due": Complaint.verify_due.expression,
        "followup_due": Complaint.followup_due.expression,
        "resolved_at": Complaint.resolved_at.expression,
        "closed_at": Complaint.closed_at.expression,
        "reopen_count": Complaint.reopen_count.expression,
        "rating": Complaint.rating.expression,
        "confidential": Complaint.confidential.expression,
        "anonymous": Complaint.anonymous.expression,
    }


def _personal() -> dict[str, ColumnElement[Any]]:
    """Identity columns, NULL in SQL for anonymous reports."""
    named = Complaint.anonymous.is_(False)
    return {
        "reporter_name": case((named, Reporter.display_name), else_=None),
        "reporter_phone": case((named, Reporter.phone), else_=None),
        "description": Complaint.description.expression,
    }


def may_see_identity(who: Principal) -> bool:
    """Personal data is for writing accounts holding the identity grant."""
    return who.identity_access and who.can_write


@dataclass(frozen=True, slots=True)
class Export:
    """What to export: who asks, the list filters, and today's date (for "overdue")."""

    who: Principal
    filters: ComplaintFilter
    today: date

    @property
    def personal(self) -> bool:
        return may_see_identity(self.who)

    def columns(self) -> dict[str, ColumnElement[Any]]:
        found = _columns(self.today)
        return {**found, **_personal()} if self.personal else found

    def header(self) -> list[str]:
        return list(self.columns())

    def query(self, before: int | None) -> Select[Any]:
        query = (
            select(Complaint.id, *self.columns().values())
            .outerjoin(Agency, Agency.id == Complaint.agency_id)
            .where(visible(self.who), *conditions(self.filters, self.today))
        )
        if self.personal:
            query = query.join(Reporter, Reporter.id == Complaint.reporter_id)
        if before is not None:
            query = query.where(and_(Complaint.id < before))
        return query.order_by(Complaint.id.desc()).limit(BATCH)


async def batches(session: AsyncSession, export: Export) -> AsyncIterator[list[Sequence[Any]]]:
    """The rows, ``BATCH`` at a time, newest first (keyset paging on the id)."""
    before: int | None = None
    while True:
        rows = (await session.execute(export.query(before))).all()
        if not rows:
            return
        before = rows[-1][0]
        yield [tuple(row[1:]) for row in rows]
        if len(rows) < BATCH:
            return


def text_cell(value: Any) -> str:
    """How a value reads in a CSV cell (Jakarta times, formula-safe)."""
    if isinstance(value, datetime):
        return value.astimezone(JAKARTA).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return neutralise(value)


async def csv_stream(session: AsyncSession, export: Export) -> AsyncIterator[str]:
    """The CSV, one chunk per batch (header first)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(export.header())
    yield _drain(buffer)
    async for rows in batches(session, export):
        writer.writerows([text_cell(v) for v in row] for row in rows)
        yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def xlsx_value(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    """A typed XLSX cell: strings neutralised and always text, times as Jakarta wall clock."""
    if isinstance(value, str):
        # XML cannot hold most control characters; openpyxl would refuse the whole file.
        cell = WriteOnlyCell(sheet, ILLEGAL_CHARACTERS_RE.sub("", neutralise(value)))
        cell.data_type = "s"
        return cell
    if isinstance(value, datetime):
        return value.astimezone(JAKARTA).replace(tzinfo=None)
    return value


class XlsxFile:
    """A write-only workbook on disk: rows go to a temporary file, not memory."""

    def __init__(self, header: list[str]) -> None:
        self.book = Workbook(write_only=True)
        self.sheet: WriteOnlyWorksheet = self.book.create_sheet("laporan")
        self.sheet.append(header)
        handle, name = tempfile.mkstemp(suffix=".xlsx")
        os.close(handle)
        self.path = name

    def add(self, rows: list[Sequence[Any]]) -> None:
        for row in rows:
            self.sheet.append([xlsx_value(self.sheet, v) for v in row])

    def save(self) -> None:
        self.book.save(self.path)

    def chunks(self, size: int = 64 * 1024) -> Iterator[bytes]:
        try:
            with open(self.path, "rb") as handle:
                while chunk := handle.read(size):
                    yield chunk
        finally:
            os.unlink(self.path)


async def xlsx_file(session: AsyncSession, export: Export) -> XlsxFile:
    """Write the whole workbook to a temporary file (off the event loop, batch by batch)."""
    book = XlsxFile(export.header())
    try:
        async for rows in batches(session, export):
            await asyncio.to_thread(book.add, rows)
        await asyncio.to_thread(book.save)
    except BaseException:
        os.unlink(book.path)
        raise
    return book
