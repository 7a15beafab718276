"""Routes of the demo: the page, the phones' API, the live stream, reset, login, QR.

``GET /demo`` three simulated phones beside the dashboard;
``POST /demo/api/phones/{phone}/send`` one message from a phone, answered
with its replies rendered for that phone; ``GET /demo/api/stream`` pushes for
the three phones (server-sent events); ``POST /demo/api/reset`` starts over;
``GET /demo/login`` logs the demo officer into the dashboard;
``GET /demo/telegram-qr.svg`` the real bot's QR code, when one is configured.
Everything but the page's refusal answers only when ``settings.demo`` is true.
"""

from __future__ import annotations

import io
import re
import secrets
from pathlib import Path
from typing import Annotated, Any

import segno
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.responses import StreamingResponse

from bot.delivery.local_channel import push_channel
from bot.delivery.outbox_payload import from_payload
from bot.engine.state import ConversationState, conversation_key
from bot.http.demo.mode import DemoOnly
from bot.http.demo.phones import PHONES, Phone, phone_named, render_phone
from bot.http.demo.reset import reset_demo
from bot.http.demo.samples import ticket_of
from bot.http.demo.seed import DEMO_EMAIL, DEMO_PASSWORD
from bot.http.demo.sessions import login_demo_officer
from bot.http.deps import get_runtime
from bot.http.webchat.inbound import BadMessage, read_message, to_inbound
from bot.http.webchat.pages import Pages
from bot.http.webchat.security import same_origin, set_cookie
from bot.http.webchat.stream import event_response, events
from bot.runtime.process import Runtime
from bot.runtime.settings import Settings
from connectors.messages import Outbound

HERE = Path(__file__).parent
COOKIE = "lapor_demo"
COOKIE_PATH = "/demo"
_SESSION = re.compile(r"[0-9a-f]{16}")
PAGES = Pages(HERE / "templates")
router = APIRouter(prefix="/demo", include_in_schema=False)
RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
LABELS = {"telegram": "Telegram", "whatsapp": "WhatsApp", "sms": "SMS"}


def _session_of(request: Request) -> str | None:
    value = request.cookies.get(COOKIE, "")
    return value if _SESSION.fullmatch(value) else None


def _remember(response: Response, runtime: Runtime, session: str) -> None:
    secure = runtime.settings.public_url.startswith("https://")
    set_cookie(response, COOKIE, session, path=COOKIE_PATH, secure=secure, max_age=24 * 3600)


def phone_address(phone: Phone, session: str) -> str:
    """The phone's own address: scheme ``demo`` (local, synchronous), one per phone."""
    return f"demo:{phone}-{session}"


async def language_of(runtime: Runtime, address: str) -> str:
    raw = await runtime.state.get(conversation_key(address))
    return ConversationState.from_dict(raw).language if raw else "id"


async def phone_message(
    runtime: Runtime, phone: Phone, outbound: Outbound, *, push: bool = False
) -> dict[str, Any]:
    language = await language_of(runtime, outbound.address)
    return {"phone": phone, "key": outbound.key, "push": push, **render_phone(phone, outbound, language)}


def _refused(message: str, status: int) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def _telegram_link(settings: Settings) -> str | None:
    if settings.telegram_token and settings.telegram_bot_username:
        return f"https://t.me/{settings.telegram_bot_username}"
    return None


@router.get("")
async def demo_page(request: Request, runtime: RuntimeDep) -> HTMLResponse:
    settings = runtime.settings
    if not settings.demo:
        return PAGES.render("not_demo.html", 404)
    session = _session_of(request) or secrets.token_hex(8)
    response = PAGES.render(
        "demo.html", phones=[(p, LABELS[p]) for p in PHONES], telegram=_telegram_link(settings),
        bot_username=settings.telegram_bot_username, email=DEMO_EMAIL, password=DEMO_PASSWORD,
    )  # fmt: skip
    _remember(response, runtime, session)
    return response


@router.post("/api/phones/{phone}/send", response_model=None)
async def phone_send(phone: str, request: Request, runtime: RuntimeDep) -> JSONResponse | dict[str, Any]:
    if not runtime.settings.demo:
        return _refused("demo mode is off", 403)
    if not same_origin(request, runtime.settings.public_url):
        return _refused("cross-site request refused", 403)
    session = _session_of(request)
    which = phone_named(phone)
    if which is None or session is None:
        return _refused("unknown phone or no demo session: reload the page", 404)
    try:
        message = await read_message(request)
    except BadMessage as exc:
        return _refused(str(exc), 400)
    address = phone_address(which, session)
    inbound = to_inbound(address, session + phone, message, runtime.clock())
    outcome = await runtime.conversations.handle(inbound)
    messages = [await phone_message(runtime, which, reply) for reply in outcome.replies]
    filed = any(reply.key == "submitted" for reply in outcome.replies)
    return {"messages": messages, "ticket": await ticket_of(runtime, address) if filed else None}


@router.get("/api/stream", response_model=None)
async def stream(request: Request, runtime: RuntimeDep) -> StreamingResponse | JSONResponse:
    session = _session_of(request)
    if not runtime.settings.demo or session is None:
        return _refused("demo mode is off or no demo session", 403)
    phones = {push_channel(phone_address(p, session)): p for p in PHONES}

    async def render(channel: str, payload: dict[str, Any]) -> dict[str, Any]:
        return await phone_message(runtime, phones[channel], from_payload(payload), push=True)

    return event_response(events(runtime.state, list(phones), render))


@router.post("/api/reset", response_model=None)
async def reset(request: Request, runtime: RuntimeDep) -> JSONResponse:
    if not same_origin(request, runtime.settings.public_url):
        return _refused("cross-site request refused", 403)
    try:
        tickets = await reset_demo(runtime)
    except DemoOnly as exc:
        return _refused(f"reset refused: {exc}", 403)
    response = JSONResponse({"ok": True, "samples": tickets})
    _remember(response, runtime, secrets.token_hex(8))  # fresh phones, fresh conversations
    return response


@router.get("/login", response_model=None)
async def login(runtime: RuntimeDep) -> Response:
    """Log the demo officer in (demo mode only, as the page says) and open the dashboard."""
    if not runtime.settings.demo:
        return PAGES.render("not_demo.html", 404)
    response = RedirectResponse("/dashboard/", status_code=303)
    if not await login_demo_officer(runtime, response):
        return RedirectResponse("/dashboard/login", status_code=303)  # no demo officer: log in by hand
    return response


@router.get("/telegram-qr.svg", response_model=None)
async def telegram_qr(runtime: RuntimeDep) -> Response:
    link = _telegram_link(runtime.settings)
    if link is None or not runtime.settings.demo:
        return Response(status_code=404)
    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="svg", scale=8, border=2, xmldecl=False, dark="#111111")
    return Response(buffer.getvalue(), media_type="image/svg+xml", headers={"Cache-Control": "no-store"})


async def _to_demo() -> RedirectResponse:
    return RedirectResponse("/demo", status_code=307)


def install(app: FastAPI, settings: Settings) -> None:
    """Mount the demo on ``app``; in demo mode, ``/`` opens it and it may frame the dashboard."""
    app.mount("/demo/static", StaticFiles(directory=HERE / "static"), name="demo-static")
    app.include_router(router)
    if settings.demo:
        from bot.http.demo.framing import SameOriginFraming

        app.add_api_route("/", _to_demo, methods=["GET"], include_in_schema=False)
        app.add_middleware(SameOriginFraming)
