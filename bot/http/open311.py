"""Open311 GeoReport v2 at ``/open311/v2/``: discovery, services, requests (GET and POST).

Reads are public and go through ``bot.openness`` (confidential complaints do
not exist here). ``POST requests.json`` needs ``api_key``, an officer API
token with write rights. Errors are the spec's list ``[{"code", "description"}]``.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from bot.engine.dates import local_date
from bot.http.officer_api.auth import MAX_TOKEN
from bot.http.public_http import cached, rate_limit
from bot.officers.auth import officer_for_token, principal_of
from bot.openness import open311, queries
from bot.openness.intake import FilingError, file_request, parse_filing
from bot.openness.open311 import LIMIT, MAX_DAYS, MAX_IDS, OUR_STATUSES, Open311Error
from bot.runtime.process import Runtime
from nlu.identifiers import normalize_ticket
from nlu.types import CATEGORIES

router = APIRouter(prefix="/open311/v2", tags=["Open311 GeoReport v2"])
FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}


def _runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def _format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise Open311Error(404, f"format {fmt} not supported: use json or xml")
    return fmt


def _error(error: Open311Error, fmt: str) -> Response:
    if fmt == "xml":
        return Response(open311.errors_xml(error), status_code=error.code, media_type=FORMATS["xml"])
    body = json.dumps(error.as_list(), ensure_ascii=False).encode()
    return Response(body, status_code=error.code, media_type=FORMATS["json"])


def _answer(request: Request, fmt: str, content: Any, root: str, item: str | None) -> Response:
    if fmt == "xml":
        return cached(request, open311.to_xml(root, item, content), FORMATS["xml"])
    return cached(request, json.dumps(content, ensure_ascii=False).encode(), FORMATS["json"])


def _moment(value: str | None, name: str) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace(" ", "+"))
    except ValueError:
        raise Open311Error(400, f"{name} must be a w3 datetime such as 2026-03-01T00:00:00Z") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def window(start: datetime | None, end: datetime | None, now: datetime) -> tuple[datetime, datetime]:
    """The search window: the last 90 days by default; at most 90 days when given."""
    if start and end:
        if end < start:
            raise Open311Error(400, "end_date is before start_date")
        if end - start > timedelta(days=MAX_DAYS):
            raise Open311Error(400, f"start_date and end_date may not span more than {MAX_DAYS} days")
        return start, end
    if start:
        return start, start + timedelta(days=MAX_DAYS)
    end = end or now
    return end - timedelta(days=MAX_DAYS), end


def _listed(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


@router.get("/discovery.{fmt}")
async def discovery(fmt: str, request: Request) -> Response:
    """The service discovery document."""
    try:
        fmt = _format(fmt)
        await rate_limit(_runtime(request), request)
    except Open311Error as error:
        return _error(error, "json")
    content = open311.discovery(_runtime(request).settings.public_url.rstrip("/"))
    return _answer(request, fmt, content, "discovery", None)


@router.get("/services.{fmt}")
async def services(fmt: str, request: Request) -> Response:
    """Our complaint categories as services."""
    try:
        fmt = _format(fmt)
    except Open311Error as error:
        return _error(error, "json")
    await rate_limit(_runtime(request), request)
    return _answer(request, fmt, open311.services(_runtime(request).texts), "services", "service")


@router.get("/services/{code}.{fmt}")
async def service_definition(code: str, fmt: str, request: Request) -> Response:
    """A service's attributes: ``rahasia`` (confidential) and ``anonim`` (anonymous)."""
    try:
        fmt = _format(fmt)
        if code not in CATEGORIES:
            raise Open311Error(404, f"service_code {code} not found")
    except Open311Error as error:
        return _error(error, fmt if fmt in FORMATS else "json")
    await rate_limit(_runtime(request), request)
    return _answer(request, fmt, open311.definition(code), "service_definition", None)


@router.get("/requests.{fmt}")
async def requests(fmt: str, request: Request) -> Response:
    """Service requests: by ``service_request_id`` list, or in a window of at most 90 days."""
    runtime = _runtime(request)
    try:
        fmt = _format(fmt)
        await rate_limit(runtime, request)
        found = await _search(runtime, dict(request.query_params))
    except Open311Error as error:
        return _error(error, fmt if fmt in FORMATS else "json")
    items = [open311.request(runtime.texts, c) for c in found]
    return _answer(request, fmt, items, "service_requests", "request")


async def _search(runtime: Runtime, params: dict[str, str]) -> list[Any]:
    now, today = runtime.clock(), local_date(runtime.clock())
    ids = _listed(params.get("service_request_id"))
    if ids:
        if len(ids) > MAX_IDS:
            raise Open311Error(400, f"at most {MAX_IDS} service_request_id values")
        tickets = [t for t in (normalize_ticket(i) for i in ids) if t]
        async with runtime.sessions() as session:
            return await queries.by_tickets(session, tickets, today)
    codes = _listed(params.get("service_code"))
    unknown = [c for c in codes if c not in CATEGORIES]
    if unknown:
        raise Open311Error(400, f"service_code {unknown[0]} not found")
    wanted = _listed(params.get("status"))
    if any(s not in OUR_STATUSES for s in wanted):
        raise Open311Error(400, "status must be open or closed")
    statuses = [ours for s in wanted for ours in OUR_STATUSES[s]]
    start, end = window(
        _moment(params.get("start_date"), "start_date"), _moment(params.get("end_date"), "end_date"), now
    )
    async with runtime.sessions() as session:
        return await queries.requested_between(
            session, start, end, categories=codes, statuses=statuses, limit=LIMIT, today=today
        )


@router.get("/requests/{request_id}.{fmt}")
async def one_request(request_id: str, fmt: str, request: Request) -> Response:
    """One service request (a list of one, as the spec has it)."""
    runtime = _runtime(request)
    try:
        fmt = _format(fmt)
        await rate_limit(runtime, request)
        ticket = normalize_ticket(request_id)
        found = None
        if ticket:
            async with runtime.sessions() as session:
                found = await queries.one(session, ticket, local_date(runtime.clock()))
        if found is None:
            raise Open311Error(404, "service_request_id not found")
    except Open311Error as error:
        return _error(error, fmt if fmt in FORMATS else "json")
    return _answer(request, fmt, [open311.request(runtime.texts, found)], "service_requests", "request")


@router.post("/requests.{fmt}")
async def create_request(fmt: str, request: Request) -> Response:
    """File a complaint (form-encoded, as the spec's POST); ``api_key`` is an officer API token."""
    runtime = _runtime(request)
    try:
        fmt = _format(fmt)
        form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
        who = await _writer(runtime, form.get("api_key", ""))
        filing = parse_filing(form)
        now = runtime.clock()
        async with runtime.sessions.begin() as session:
            complaint = await file_request(session, filing, who, runtime.parser, now)
            ticket, due = complaint.ticket, complaint.verify_due
    except FilingError as error:
        return _error(Open311Error(400, str(error)), fmt if fmt in FORMATS else "json")
    except Open311Error as error:
        return _error(error, fmt if fmt in FORMATS else "json")
    content = [{"service_request_id": ticket, "service_notice": _notice(due), "account_id": None}]
    if fmt == "xml":
        return Response(open311.to_xml("service_requests", "request", content), media_type=FORMATS["xml"])
    return Response(json.dumps(content).encode(), media_type=FORMATS["json"])


def _notice(due: date | None) -> str:
    when = due.isoformat() if due else "-"
    return f"Diterima; diverifikasi paling lambat {when} / Received; to be verified by {when}"


async def _writer(runtime: Runtime, token: str) -> Any:
    if not token or len(token) > MAX_TOKEN:
        raise Open311Error(403, "api_key missing or invalid")
    async with runtime.sessions() as session:
        officer = await officer_for_token(session, token, runtime.clock())
        if session.dirty:
            await session.commit()
    if officer is None:
        raise Open311Error(403, "api_key missing or invalid")
    who = principal_of(officer)
    if not who.can_write:
        raise Open311Error(403, "this api_key may only read")
    return who
