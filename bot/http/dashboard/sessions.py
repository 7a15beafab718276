"""Dashboard logins: a random session cookie (HttpOnly, SameSite=Strict) and a CSRF token per session.

The cookie value is never stored; the session row is keyed by its SHA-256.
Every POST form carries the session's CSRF token; the login form, which
comes before any session, uses a double-submit cookie instead.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from starlette.responses import Response

from bot.http.deps import get_runtime
from bot.officers.auth import Principal, principal_of, same_secret, session_officer
from bot.runtime.process import Runtime

COOKIE = "lapor_session"
LOGIN_CSRF = "lapor_login_csrf"
PATH = "/dashboard"


class LoginRequired(Exception):
    """No valid session: the app answers with a redirect to the login page."""


class CsrfFailed(Exception):
    """A POST without the right CSRF token: refused with 403."""


@dataclass(frozen=True, slots=True)
class DashboardUser:
    principal: Principal
    csrf: str


def secure_cookies(runtime: Runtime) -> bool:
    return runtime.settings.public_url.startswith("https://")


def set_cookie(
    response: Response, name: str, value: str, *, secure: bool, max_age: int | None = None
) -> None:
    response.set_cookie(
        name, value, max_age=max_age, path=PATH, secure=secure, httponly=True, samesite="strict"
    )


def clear_cookie(response: Response, name: str, *, secure: bool) -> None:
    response.delete_cookie(name, path=PATH, secure=secure, httponly=True, samesite="strict")


def new_login_csrf() -> str:
    return secrets.token_urlsafe(24)


async def current_user(request: Request, runtime: Annotated[Runtime, Depends(get_runtime)]) -> DashboardUser:
    """The logged-in officer, or ``LoginRequired``."""
    cookie = request.cookies.get(COOKIE)
    if not cookie or len(cookie) > 100:
        raise LoginRequired
    async with runtime.sessions() as session:
        found = await session_officer(session, cookie, runtime.clock())
    if found is None:
        raise LoginRequired
    officer, row = found
    return DashboardUser(principal_of(officer), row.csrf_token)


async def posting_user(
    request: Request, user: Annotated[DashboardUser, Depends(current_user)]
) -> DashboardUser:
    """``current_user`` for a POST: the form must carry the session's CSRF token."""
    form = await request.form()
    given = form.get("csrf")
    if not same_secret(user.csrf, given if isinstance(given, str) else None):
        raise CsrfFailed
    return user


User = Annotated[DashboardUser, Depends(current_user)]
PostingUser = Annotated[DashboardUser, Depends(posting_user)]
