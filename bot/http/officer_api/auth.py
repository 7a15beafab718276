"""``Authorization: Bearer <token>`` for the officer API."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from bot.http.deps import get_runtime
from bot.officers.auth import Principal, officer_for_token, principal_of
from bot.runtime.process import Runtime

bearer = HTTPBearer(auto_error=False, description="An API token from `lapor officers add` (shown once).")
MAX_TOKEN = 200


def _unauthorized() -> HTTPException:
    return HTTPException(401, "a valid API token is required", headers={"WWW-Authenticate": "Bearer"})


async def api_principal(
    runtime: Annotated[Runtime, Depends(get_runtime)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    """The officer behind the bearer token, or 401."""
    token = credentials.credentials if credentials else ""
    if not token or len(token) > MAX_TOKEN:
        raise _unauthorized()
    async with runtime.sessions() as session:
        officer = await officer_for_token(session, token, runtime.clock())
        if officer is None:
            raise _unauthorized()
        if session.dirty:
            await session.commit()
        return principal_of(officer)


Reader = Annotated[Principal, Depends(api_principal)]


def writer(who: Reader) -> Principal:
    """Officers and admins only: a viewer gets 403."""
    if not who.can_write:
        raise HTTPException(403, "this account may only read")
    return who


Writer = Annotated[Principal, Depends(writer)]
