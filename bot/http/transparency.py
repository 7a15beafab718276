"""The public transparency pages: ``/transparansi`` and ``/transparansi/{ticket}``.

Server-rendered, no JavaScript, the dashboard's strict CSP; everything shown
comes through ``bot.openness`` (the privacy rules).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

from bot.engine.dates import local_date
from bot.http import public_figures as figures_cache
from bot.http import public_pages as pages
from bot.http.deps import get_runtime
from bot.http.public_http import BadFilter, cached, parse_filter, positive, rate_limit
from bot.openness import queries
from bot.openness.queries import PublicFilter
from bot.runtime.process import Runtime
from nlu.identifiers import normalize_ticket

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'self'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}
PER_PAGE = 20
router = APIRouter(prefix="/transparansi", include_in_schema=False)
RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


@router.get("", response_class=HTMLResponse)
async def transparency(request: Request, runtime: RuntimeDep) -> Response:
    await rate_limit(runtime, request)
    params = dict(request.query_params)
    problem = None
    try:
        criteria, number = parse_filter(params), positive(params.get("page"), 1, "page")
    except BadFilter as exc:
        criteria, number, problem = PublicFilter(), 1, f"Saringan tidak dapat dipakai: {exc}"
    now = runtime.clock()
    async with runtime.sessions() as session:
        page = await queries.page_of(session, criteria, number, PER_PAGE, local_date(now))
        choices = {"regions": await queries.regions(session), "agencies": await queries.agencies(session)}
    figures = await figures_cache.figures(runtime, criteria)
    html = pages.list_page(runtime.texts, page, figures, criteria, choices, problem)
    return cached(request, html.encode(), "text/html; charset=utf-8", HEADERS)


@router.get("/{ticket}", response_class=HTMLResponse)
async def one(ticket: str, request: Request, runtime: RuntimeDep) -> Response:
    await rate_limit(runtime, request)
    code = normalize_ticket(ticket)
    found = None
    if code:
        async with runtime.sessions() as session:
            found = await queries.one(session, code, local_date(runtime.clock()))
    if found is None:
        # Unknown and confidential look the same.
        return HTMLResponse(pages.missing_page(), status_code=404, headers=HEADERS)
    return cached(
        request, pages.detail_page(runtime.texts, found).encode(), "text/html; charset=utf-8", HEADERS
    )


def install(app: FastAPI) -> None:
    app.mount("/transparansi/static", StaticFiles(directory=pages.STATIC), name="transparansi-static")
    app.include_router(router)
