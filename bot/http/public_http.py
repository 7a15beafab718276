"""What every public response shares: the filter from a query string, ETags, a rate limit per client."""

from __future__ import annotations

import hashlib
import re
from datetime import date

from fastapi import HTTPException, Request
from starlette.responses import Response

from bot.openness.queries import PublicFilter
from bot.runtime.process import Runtime
from nlu.types import CATEGORIES

STATUSES = ("received", "verified", "in_progress", "needs_info", "resolved", "closed", "rejected")
_REGION = re.compile(r"\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?")
_AGENCY = re.compile(r"[A-Za-z0-9_.-]{1,32}")
MAX_AGE = 60
CACHE_CONTROL = f"public, max-age={MAX_AGE}"
RATE_WINDOW = 60.0


class BadFilter(ValueError):
    """A filter value that cannot be used: the message says which and why."""


def _date(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadFilter(f"{name} must be a date, YYYY-MM-DD") from None


def parse_filter(params: dict[str, str]) -> PublicFilter:
    """The public filter from query parameters region, category, agency, status, from, to."""
    region = params.get("region") or None
    if region and not _REGION.fullmatch(region):
        raise BadFilter("region must be a Kemendagri code such as 34 or 34.04")
    category = params.get("category") or None
    if category and category not in CATEGORIES:
        raise BadFilter(f"category must be one of {', '.join(CATEGORIES)}")
    agency = params.get("agency") or None
    if agency and not _AGENCY.fullmatch(agency):
        raise BadFilter("agency must be an agency code")
    status = params.get("status") or None
    if status and status not in STATUSES:
        raise BadFilter(f"status must be one of {', '.join(STATUSES)}")
    since, until = _date(params.get("from"), "from"), _date(params.get("to"), "to")
    if since and until and since > until:
        raise BadFilter("from must not be after to")
    return PublicFilter(region, category, agency, status, since, until)


def positive(value: str | None, default: int, name: str) -> int:
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise BadFilter(f"{name} must be a positive whole number")
    return int(value)


def client_of(request: Request) -> str:
    """The caller, for the rate limit: the socket's peer (headers are the caller's to forge)."""
    return request.client.host if request.client else "unknown"


async def rate_limit(runtime: Runtime, request: Request) -> None:
    """429 once a client passes ``public_rate_limit_per_minute`` requests in a minute."""
    limit = runtime.settings.public_rate_limit_per_minute
    if not await runtime.state.hit(f"public-rate:{client_of(request)}", limit, RATE_WINDOW):
        raise HTTPException(429, "too many requests; try again in a minute", headers={"Retry-After": "60"})


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def cached(request: Request, body: bytes, media_type: str, headers: dict[str, str] | None = None) -> Response:
    """``body`` with an ETag, or 304 when the client already has it (If-None-Match)."""
    tag = etag_of(body)
    common = {"ETag": tag, "Cache-Control": CACHE_CONTROL, "Vary": "Accept-Encoding", **(headers or {})}
    wanted = request.headers.get("if-none-match", "")
    tags = {t.strip().removeprefix("W/") for t in wanted.split(",")}
    if tag in tags or "*" in tags:
        return Response(status_code=304, headers=common)
    return Response(body, media_type=media_type, headers=common)
