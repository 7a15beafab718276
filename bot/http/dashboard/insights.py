"""Dashboard pages of the insights: statistics with charts, exports, hotspots, monthly reports."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse
from jinja2 import ChoiceLoader, FileSystemLoader
from markupsafe import escape

from bot.core.text_hygiene import clean
from bot.engine.dates import local_date
from bot.http.dashboard.routes import ENV, SECURITY_HEADERS, RuntimeDep, _inbox_filter
from bot.http.dashboard.sessions import DashboardUser, PostingUser, User
from bot.http.insights_api import _audited, csv_response, export_of, xlsx_response
from bot.insights import figures, hotspots, reports
from bot.insights.cache import TtlCache
from bot.insights.models import Statistics
from bot.insights.period import GRAINS, Grain, Period, PeriodError
from bot.insights.scope import Selection
from bot.insights.stats import statistics
from bot.officers import group_actions, queries
from bot.officers.queries import ComplaintFilter
from storage.models import Agency

TEMPLATES = Path(reports.__file__).parent / "templates"
INSIGHTS_ENV = ENV.overlay(loader=ChoiceLoader([FileSystemLoader(TEMPLATES), ENV.loader]))  # type: ignore[list-item]
INSIGHTS_ENV.globals.update(
    percent=figures.percent, stages=figures.STAGES, metrics=figures.METRICS,
    dimensions=figures.DIMENSIONS, identity=figures.IDENTITY,
    grains={"day": "Hari", "week": "Minggu", "month": "Bulan"},
)  # fmt: skip
router = APIRouter(prefix="/dashboard", include_in_schema=False)
BAD_PERIOD = "Periode tidak valid (maksimal tiga tahun); ditampilkan 90 hari terakhir."


def page(name: str, user: DashboardUser, status: int = 200, **context: Any) -> HTMLResponse:
    html = INSIGHTS_ENV.get_template(name).render(user=user.principal, csrf=user.csrf, **context)
    return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)


def _cache_of(request: Request) -> TtlCache[Statistics]:
    """One cache per app (each test's app starts empty)."""
    state = request.app.state
    if not hasattr(state, "insights_cache"):
        state.insights_cache = TtlCache[Statistics]()
    cache: TtlCache[Statistics] = state.insights_cache
    return cache


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text or "")
    except ValueError:
        return None


def stats_period(request: Request, today: date) -> tuple[Period, str | None]:
    """The page's period; a bad one falls back to the last 90 days with a message."""
    params = request.query_params
    raw = params.get("by", "week")
    grain: Grain = raw if raw in GRAINS else "week"
    start, end = _day(params.get("from")), _day(params.get("to"))
    if start is None and end is None:
        return Period.recent(today, grain), None
    try:
        last = end or today
        return Period(start or last.replace(day=1), last, grain), None
    except PeriodError:
        return Period.recent(
            today, grain
        ), "Periode tidak valid (maksimal tiga tahun); ditampilkan 90 hari terakhir."


@router.get("/statistik")
async def statistics_page(request: Request, user: User, runtime: RuntimeDep) -> HTMLResponse:
    who, today = user.principal, local_date(runtime.clock())
    period, error = stats_period(request, today)
    listed = _inbox_filter(request)
    f = ComplaintFilter(category=listed.category, region=listed.region, agency=listed.agency)
    selection = Selection(who, period, today, f)

    async def compute() -> Statistics:
        async with runtime.sessions() as session:
            return await statistics(session, selection)

    cached = await _cache_of(request).get(selection.key(), compute, runtime.clock)
    stats = cached.value
    async with runtime.sessions() as session:
        agencies = await queries.agencies(session) if who.all_agencies else []
    query = urlencode(
        [(k, v) for k, v in (("from", period.start.isoformat()), ("to", period.end.isoformat()),
         ("category", f.category), ("region", f.region), ("agency", f.agency)) if v]
    )  # fmt: skip
    charts = figures.figures(stats, INSIGHTS_ENV.globals["categories"])  # type: ignore[arg-type]
    return page(
        "statistics.html", user, s=stats, f=f, charts=charts, agencies=agencies, error=error, query=query,
        computed_at=cached.computed_at,
    )  # fmt: skip


@router.get("/ekspor.csv")
async def export_csv(request: Request, user: User, runtime: RuntimeDep) -> StreamingResponse:
    """The inbox's filtered list as CSV (all pages, streamed)."""
    export = export_of(runtime, user.principal, _inbox_filter(request))
    await _audited(runtime, user.principal, export, "csv")
    return csv_response(runtime, export)


@router.get("/ekspor.xlsx")
async def export_xlsx(request: Request, user: User, runtime: RuntimeDep) -> StreamingResponse:
    export = export_of(runtime, user.principal, _inbox_filter(request))
    await _audited(runtime, user.principal, export, "xlsx")
    return await xlsx_response(runtime, export)


@router.get("/hotspot")
async def hotspot_page(user: User, runtime: RuntimeDep) -> HTMLResponse:
    async with runtime.sessions() as session:
        spots = await hotspots.hotspots(session, user.principal, local_date(runtime.clock()))
    return page("hotspots.html", user, spots=spots, outcomes=[], days=hotspots.LOOK_BACK_DAYS)


@router.post("/hotspot")
async def hotspot_act(request: Request, user: PostingUser, runtime: RuntimeDep) -> HTMLResponse:
    """Merge a suggested group into its oldest report, or give the whole group one status."""
    form, who = await request.form(), user.principal
    tickets = [clean(t)[:32] for t in form.getlist("ticket") if isinstance(t, str) and t.strip()]
    note = clean(str(form.get("note") or ""))[:2000] or None
    action = form.get("action")
    if len(tickets) < 2 or action not in {"merge", "status"}:
        outcomes = [group_actions.Outcome("-", None, "Pilih kelompok dan tindakan.")]
    elif action == "merge":
        outcomes = await group_actions.merge_group(runtime, who, tickets, note)
    else:
        status = clean(str(form.get("status") or ""))[:32]
        outcomes = await group_actions.status_group(runtime, who, tickets, status, note)
    async with runtime.sessions() as session:
        spots = await hotspots.hotspots(session, who, local_date(runtime.clock()))
    return page("hotspots.html", user, spots=spots, outcomes=outcomes, days=hotspots.LOOK_BACK_DAYS)


REPORT_HEADERS = {
    **SECURITY_HEADERS,
    # The printable report is self-contained: its own inline styles, no script at all.
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"
    ),
}


@router.get("/laporan-bulanan", response_model=None)
async def monthly_report(
    user: User, runtime: RuntimeDep, bulan: str = "", agency: str = "", pdf: bool = False
) -> Response:
    """The monthly report of the officer's agency (an admin may pick one, or the whole deployment)."""
    who, now = user.principal, runtime.clock()
    code = clean(agency)[:32] or None
    async with runtime.sessions() as session:
        if not who.all_agencies:
            own = await session.get(Agency, who.agency_id) if who.agency_id else None
            code = own.code if own else "-"
        try:
            report = await reports.monthly(session, code, clean(bulan)[:7] or now.strftime("%Y-%m"), now)
        except (LookupError, PeriodError) as exc:
            return HTMLResponse(f"<p>{escape(str(exc))}</p>", status_code=404, headers=REPORT_HEADERS)
    html = reports.to_html(report, INSIGHTS_ENV.globals["categories"])  # type: ignore[arg-type]
    if not pdf:
        return HTMLResponse(html, headers=REPORT_HEADERS)
    body = await asyncio.to_thread(reports.to_pdf, html)
    name = f"laporan-{(code or 'semua').lower()}-{report.period.start.strftime('%Y-%m')}.pdf"
    headers = {**SECURITY_HEADERS, "Content-Disposition": f'attachment; filename="{name}"'}
    return Response(body, media_type="application/pdf", headers=headers)
