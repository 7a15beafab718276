"""Who may use the REST channel: anyone in a demo, a bearer token in production, else nobody.

- ``lapor demo`` / ``make run``: open, as on one laptop;
- ``lapor serve`` with ``LAPOR_REST_TOKEN``: ``Authorization: Bearer <token>`` or 401;
- ``lapor serve`` without it: the channel is off (404).

The check runs before the body is read, so a refused request is never processed.
"""

from __future__ import annotations

import hmac
from enum import StrEnum

from fastapi import Request
from fastapi.responses import JSONResponse

from bot.runtime.settings import Settings


class RestDoor(StrEnum):
    OPEN = "open"
    TOKEN = "token"  # noqa: S105 - a mode's name, not a secret
    OFF = "off"


def rest_door(settings: Settings) -> RestDoor:
    if settings.demo:
        return RestDoor.OPEN
    return RestDoor.TOKEN if settings.rest_token else RestDoor.OFF


def bearer_of(request: Request) -> str | None:
    """The token of ``Authorization: Bearer <token>``, or None."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


def token_matches(expected: str, given: str | None) -> bool:
    """Constant time in the token's content (``hmac.compare_digest``)."""
    return given is not None and hmac.compare_digest(expected.encode(), given.encode())


def rest_refusal(request: Request, settings: Settings) -> JSONResponse | None:
    """The response refusing this request, or None when it may pass."""
    door = rest_door(settings)
    if door is RestDoor.OFF:
        return JSONResponse({"error": "the REST channel is off (set LAPOR_REST_TOKEN)"}, status_code=404)
    if door is RestDoor.TOKEN and not token_matches(settings.rest_token or "", bearer_of(request)):
        return JSONResponse(
            {"error": "a valid bearer token is required"},
            status_code=401,
            headers={"WWW-Authenticate": 'Bearer realm="rest"'},
        )
    return None
