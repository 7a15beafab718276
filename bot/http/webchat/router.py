"""Routes of the web chat: the page, sending, the live stream, a fresh start.

``GET /chat`` gives the page (and a conversation cookie on first visit);
``POST /chat/send`` handles one message and answers with its replies;
``GET /chat/stream`` delivers pushes live (server-sent events);
``POST /chat/new`` starts over with a new address.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.responses import StreamingResponse

from bot.core.pseudonyms import pseudonym
from bot.delivery.local_channel import push_channel
from bot.delivery.outbox_payload import from_payload
from bot.http.deps import get_runtime
from bot.http.webchat.inbound import BadMessage, read_message, to_inbound
from bot.http.webchat.messages import web_message
from bot.http.webchat.pages import Pages
from bot.http.webchat.security import same_origin, set_cookie
from bot.http.webchat.stream import event_response, events
from bot.intake.faults import handle_politely, is_fault
from bot.runtime.process import Runtime

HERE = Path(__file__).parent
COOKIE = "lapor_chat"
COOKIE_PATH = "/chat"
COOKIE_AGE = 30 * 24 * 3600
_TOKEN = re.compile(r"[A-Za-z0-9_-]{22}")
# New addresses are free to make, so the per-address limit alone is not enough.
PER_CLIENT_PER_MINUTE = 120
PAGES = Pages(HERE / "templates")
router = APIRouter(prefix="/chat", include_in_schema=False)
RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def new_token() -> str:
    """128 random bits, URL-safe: the secret half of a ``web:`` address."""
    return secrets.token_urlsafe(16)


def token_of(request: Request) -> str | None:
    token = request.cookies.get(COOKIE, "")
    return token if _TOKEN.fullmatch(token) else None


def address_of(token: str) -> str:
    return f"web:{token}"


def _remember(response: Response, runtime: Runtime, token: str) -> None:
    secure = runtime.settings.public_url.startswith("https://")
    set_cookie(response, COOKIE, token, path=COOKIE_PATH, secure=secure, max_age=COOKIE_AGE)


def _refused(message: str, status: int) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


async def _within_limit(request: Request, runtime: Runtime) -> bool:
    """At most ``PER_CLIENT_PER_MINUTE`` posts a minute from one network client."""
    client = request.client.host if request.client else "-"
    key = "rate:web-client:" + pseudonym(client)
    return await runtime.state.hit(key, PER_CLIENT_PER_MINUTE, 60)


async def _client_within_limit(request: Request, runtime: Runtime) -> bool:
    """The per-client limit; with the state store down it cannot count, so it lets the post through.

    The turn then meets the same fault and the citizen gets the apology, not a 500.
    """
    try:
        return await _within_limit(request, runtime)
    except Exception as exc:
        if not is_fault(exc):
            raise
        return True


@router.get("")
async def chat_page(request: Request, runtime: RuntimeDep) -> HTMLResponse:
    token = token_of(request)
    response = PAGES.render("chat.html")
    if token is None:
        _remember(response, runtime, new_token())
    return response


@router.post("/send", response_model=None)
async def send(request: Request, runtime: RuntimeDep) -> JSONResponse | dict[str, Any]:
    if not same_origin(request, runtime.settings.public_url):
        return _refused("cross-site request refused", 403)
    token = token_of(request)
    if token is None:
        return _refused("no conversation: reload the page", 401)
    if not await _client_within_limit(request, runtime):
        return _refused("too many messages: wait a minute", 429)
    try:
        message = await read_message(request)
    except BadMessage as exc:
        return _refused(str(exc), 400)
    inbound = to_inbound(address_of(token), token, message, runtime.clock())
    outcome = await handle_politely(runtime.conversations, inbound)
    return {"replies": [web_message(r) for r in outcome.replies], "duplicate": outcome.duplicate}


@router.get("/stream", response_model=None)
async def stream(request: Request, runtime: RuntimeDep) -> StreamingResponse | JSONResponse:
    token = token_of(request)
    if token is None:
        return _refused("no conversation: reload the page", 401)

    async def render(channel: str, payload: dict[str, Any]) -> dict[str, Any]:
        return web_message(from_payload(payload), push=True)

    return event_response(events(runtime.state, [push_channel(address_of(token))], render))


@router.post("/new", response_model=None)
async def new_conversation(request: Request, runtime: RuntimeDep) -> JSONResponse:
    if not same_origin(request, runtime.settings.public_url):
        return _refused("cross-site request refused", 403)
    if not await _within_limit(request, runtime):
        return _refused("too many requests: wait a minute", 429)
    response = JSONResponse({"ok": True})
    _remember(response, runtime, new_token())
    return response


def install(app: FastAPI) -> None:
    """Mount the chat page, its API and its static files on ``app``."""
    app.mount("/chat/static", StaticFiles(directory=HERE / "static"), name="webchat-static")
    app.include_router(router)
