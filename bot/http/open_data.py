"""Open data: ``/api/public/v1/complaints`` (JSON, paged), ``complaints.csv`` and ``stats``.

No credential (public data), rate-limited per client, cacheable (ETag; 304
on If-None-Match). Everything comes through ``bot.openness`` (the privacy rules).
"""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response

from bot.engine.dates import local_date
from bot.http import public_figures as figures_cache
from bot.http.deps import get_runtime
from bot.http.public_http import BadFilter, cached, parse_filter, positive, rate_limit
from bot.openness import queries
from bot.openness.queries import MAX_PER_PAGE, PublicFilter
from bot.openness.schemas import PageOut, StatsOut, page_out, to_csv
from bot.runtime.process import Runtime

CSV_LIMIT = 10_000
router = APIRouter(prefix="/api/public/v1", tags=["open data"])
RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
FILTER_DOC = {
    "region": "Kemendagri code or prefix of the kabupaten/kota (34, 34.04)",
    "category": "category code",
    "agency": "agency code",
    "status": "our status code",
    "from": "first day, YYYY-MM-DD (Jakarta)",
    "to": "last day, YYYY-MM-DD (Jakarta)",
}
_ERRORS: dict[int | str, dict[str, object]] = {
    400: {"description": "a filter value cannot be used"},
    429: {"description": "too many requests from this client"},
}


def _criteria(request: Request) -> tuple[PublicFilter, dict[str, str]]:
    params = dict(request.query_params)
    try:
        return parse_filter(params), params
    except BadFilter as exc:
        raise HTTPException(400, str(exc)) from None


# The Query parameters below exist for the OpenAPI schema; the values are read from the request.
Region = Annotated[str | None, Query(description=FILTER_DOC["region"])]
Category = Annotated[str | None, Query(description=FILTER_DOC["category"])]
AgencyCode = Annotated[str | None, Query(description=FILTER_DOC["agency"])]
Status = Annotated[str | None, Query(description=FILTER_DOC["status"])]
Since = Annotated[str | None, Query(alias="from", description=FILTER_DOC["from"])]
Until = Annotated[str | None, Query(alias="to", description=FILTER_DOC["to"])]


@router.get("/complaints", response_model=PageOut, responses=_ERRORS)
async def complaints(
    request: Request,
    runtime: RuntimeDep,
    region: Region = None,
    category: Category = None,
    agency: AgencyCode = None,
    status: Status = None,
    since: Since = None,
    until: Until = None,
    page: Annotated[str | None, Query(description="page number, from 1")] = None,
    per_page: Annotated[str | None, Query(description=f"items per page, at most {MAX_PER_PAGE}")] = None,
) -> Response:
    """Non-confidential complaints, newest first, personal data masked."""
    await rate_limit(runtime, request)
    criteria, params = _criteria(request)
    try:
        number, size = (
            positive(params.get("page"), 1, "page"),
            positive(params.get("per_page"), 50, "per_page"),
        )
    except BadFilter as exc:
        raise HTTPException(400, str(exc)) from None
    async with runtime.sessions() as session:
        found = await queries.page_of(session, criteria, number, size, local_date(runtime.clock()))
    return cached(request, page_out(found).model_dump_json().encode(), "application/json")


@router.get(
    "/complaints.csv",
    responses={**_ERRORS, 200: {"content": {"text/csv": {}}, "description": "the same rows as CSV"}},
)
async def complaints_csv(
    request: Request,
    runtime: RuntimeDep,
    region: Region = None,
    category: Category = None,
    agency: AgencyCode = None,
    status: Status = None,
    since: Since = None,
    until: Until = None,
) -> Response:
    """The filtered complaints as CSV (at most 10,000 rows; spreadsheet-safe)."""
    await rate_limit(runtime, request)
    criteria, _ = _criteria(request)
    async with runtime.sessions() as session:
        found = await queries.page_of(
            session, criteria, 1, CSV_LIMIT, local_date(runtime.clock()), cap=CSV_LIMIT
        )
    headers = {"Content-Disposition": 'attachment; filename="lapor-complaints.csv"'}
    return cached(request, to_csv(found.items).encode(), "text/csv; charset=utf-8", headers)


@router.get("/stats", response_model=StatsOut, responses=_ERRORS)
async def public_stats(
    request: Request,
    runtime: RuntimeDep,
    region: Region = None,
    category: Category = None,
    agency: AgencyCode = None,
    status: Status = None,
    since: Since = None,
    until: Until = None,
) -> Response:
    """Headline figures; cells below 3 are null so no complaint can be singled out."""
    await rate_limit(runtime, request)
    criteria, _ = _criteria(request)
    figures = await figures_cache.figures(runtime, criteria)
    body = json.dumps(figures.model_dump(mode="json"), ensure_ascii=False).encode()
    return cached(request, body, "application/json")
