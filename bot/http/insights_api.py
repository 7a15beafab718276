"""``/api/v1``: statistics, the streaming CSV and XLSX exports, hotspots (bearer tokens)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import date
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import StreamingResponse

from bot.core.text_hygiene import clean
from bot.engine.dates import local_date
from bot.http.officer_api.auth import Reader
from bot.http.officer_api.routes import Filter, RuntimeDep
from bot.insights import exports
from bot.insights.models import StatsOut
from bot.insights.period import Grain, Period, PeriodError
from bot.insights.scope import Selection
from bot.insights.stats import statistics
from bot.officers import queries
from bot.officers.audit import audit
from bot.officers.auth import Principal
from bot.officers.queries import ComplaintFilter
from bot.runtime.process import Runtime

router = APIRouter(prefix="/api/v1", tags=["insights"])
_CSV_RESPONSE: dict[int | str, dict[str, object]] = {
    200: {"content": {"text/csv": {"schema": {"type": "string"}}}}
}
_XLSX_RESPONSE: dict[int | str, dict[str, object]] = {200: {"content": {exports.XLSX_TYPE: {}}}}


def period_of(start: date | None, end: date | None, grain: Grain, today: date) -> Period:
    """The asked period; the last 90 days by default; a 422 when it cannot be computed."""
    try:
        if start is None and end is None:
            return Period.recent(today, grain)
        last = end or today
        return Period(start or last.replace(day=1), last, grain)
    except PeriodError as exc:
        raise HTTPException(422, str(exc)) from None


@router.get("/stats", response_model=StatsOut)
async def complaint_stats(
    who: Reader,
    runtime: RuntimeDep,
    start: Annotated[
        date | None, Query(alias="from", description="First day (Jakarta); default 90 days ago")
    ] = None,
    end: Annotated[date | None, Query(alias="to", description="Last day, included; default today")] = None,
    by: Annotated[Grain, Query(description="Time series buckets")] = "week",
    category: Annotated[str | None, Query(max_length=32)] = None,
    region: Annotated[str | None, Query(max_length=20, description="Kemendagri code, e.g. 34.04")] = None,
    agency: Annotated[str | None, Query(max_length=32, description="Agency code")] = None,
) -> StatsOut:
    """Scope-wide counts, then the period's statistics: counts by dimension, time series,
    working days to verification, first response and resolution (median, p90), deadline
    compliance per agency and stage, overdue complaints, reopen rate, satisfaction, top problems."""
    today = local_date(runtime.clock())
    filters = ComplaintFilter(
        category=clean(category) if category else None,
        region=clean(region) if region else None,
        agency=clean(agency) if agency else None,
    )
    selection = Selection(who, period_of(start, end, by, today), today, filters)
    async with runtime.sessions() as session:
        scope_wide = await queries.stats(session, who, today)
        return StatsOut(**scope_wide, statistics=await statistics(session, selection))


async def _audited(runtime: Runtime, who: Principal, export: exports.Export, kind: str) -> None:
    async with runtime.sessions() as session:
        audit(session, who, "export", runtime.clock(), format=kind, personal=export.personal)
        await session.commit()


def export_of(runtime: Runtime, who: Principal, f: ComplaintFilter) -> exports.Export:
    if f.created_to is not None and f.created_to >= date.max:
        f = replace(f, created_to=None)  # "up to the end of time" is no limit (and cannot add a day)
    return exports.Export(who, f, local_date(runtime.clock()))


async def csv_body(runtime: Runtime, export: exports.Export) -> AsyncIterator[bytes]:
    async with runtime.sessions() as session:
        first = True
        async for chunk in exports.csv_stream(session, export):
            # A byte-order mark lets spreadsheets read the UTF-8 (place names, citizen text).
            yield (("\ufeff" if first else "") + chunk).encode()
            first = False


def csv_response(runtime: Runtime, export: exports.Export) -> StreamingResponse:
    headers = {"Content-Disposition": 'attachment; filename="laporan.csv"', "Cache-Control": "no-store"}
    return StreamingResponse(csv_body(runtime, export), media_type="text/csv; charset=utf-8", headers=headers)


async def xlsx_response(runtime: Runtime, export: exports.Export) -> StreamingResponse:
    async with runtime.sessions() as session:
        book = await exports.xlsx_file(session, export)
    headers = {"Content-Disposition": 'attachment; filename="laporan.xlsx"', "Cache-Control": "no-store"}
    return StreamingResponse(book.chunks(), media_type=exports.XLSX_TYPE, headers=headers)


@router.get("/complaints.csv", response_class=StreamingResponse, responses=_CSV_RESPONSE)
async def export_csv(who: Reader, runtime: RuntimeDep, f: Filter) -> StreamingResponse:
    """Every complaint of the list's filter as CSV, streamed, formula-safe for spreadsheets.

    Reporter name, phone and the description are included only with the identity grant,
    and never for anonymous reports."""
    export = export_of(runtime, who, f)
    await _audited(runtime, who, export, "csv")
    return csv_response(runtime, export)


@router.get("/complaints.xlsx", response_class=StreamingResponse, responses=_XLSX_RESPONSE)
async def export_xlsx(who: Reader, runtime: RuntimeDep, f: Filter) -> StreamingResponse:
    """The same as ``complaints.csv`` as an XLSX workbook (text cells, formula-safe)."""
    export = export_of(runtime, who, f)
    await _audited(runtime, who, export, "xlsx")
    return await xlsx_response(runtime, export)
