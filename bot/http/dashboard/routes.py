"""The officers' dashboard: server-rendered Jinja2, Indonesian, strict CSP, almost no JavaScript.

Complaint text is hostile HTML: templates autoescape everything, there is no
inline script or style, and the CSP allows only this origin's files.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from bot.core.pseudonyms import pseudonym
from bot.core.text_hygiene import clean
from bot.engine.dates import JAKARTA, format_date, local_date
from bot.http.dashboard.sessions import (
    COOKIE,
    LOGIN_CSRF,
    CsrfFailed,
    DashboardUser,
    LoginRequired,
    PostingUser,
    User,
    clear_cookie,
    new_login_csrf,
    secure_cookies,
    set_cookie,
)
from bot.http.deps import get_runtime
from bot.http.officer_api.routes import attachment_response
from bot.officers import actions, failures, identity, labels, notifications, queries, views
from bot.officers.audit import audit
from bot.officers.auth import authenticate, close_session, open_session, same_secret
from bot.officers.queries import ComplaintFilter
from bot.officers.schemas import Identity
from bot.officers.scope import find
from bot.officers.service import ActionError, ActionResult
from bot.runtime.process import Runtime
from dialogues.texts import load_texts
from nlu.types import CATEGORIES
from storage.models import Attachment

HERE = Path(__file__).parent
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
PAGE_SIZE = 50
LOGIN_ATTEMPTS = 10  # per e-mail per 15 minutes
MESSAGES = {
    "status": "Status diperbarui; pelapor diberi kabar.",
    "route": "Laporan didisposisikan.",
    "request-info": "Pertanyaan dikirim ke pelapor.",
    "merge": "Laporan digabungkan.",
    "reject": "Laporan ditolak; pelapor diberi kabar.",
    "retry": "Pesan dijadwalkan kirim ulang.",
}
router = APIRouter(prefix="/dashboard", include_in_schema=False)
RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def _when(value: datetime | None) -> str:
    return value.astimezone(JAKARTA).strftime("%d-%m-%Y %H:%M") if value else "-"


def _day(value: date | None) -> str:
    return format_date(value, "id") if value else "-"


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        auto_reload=False,
    )
    texts = load_texts()
    env.filters.update(when=_when, day=_day, actor=labels.actor)
    env.globals.update(
        labels=labels,
        categories={c: texts.render(f"category.{c}", "id") for c in CATEGORIES},
        messages=MESSAGES,
    )
    return env


ENV = _environment()


def render(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    html = ENV.get_template(name).render(**context)
    return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)


def page(name: str, user: DashboardUser, status: int = 200, **context: Any) -> HTMLResponse:
    return render(name, status, user=user.principal, csrf=user.csrf, **context)


def _see(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303, headers=SECURITY_HEADERS)


# -- login -------------------------------------------------------------------


@router.get("/login")
async def login_form(runtime: RuntimeDep, error: str | None = None) -> HTMLResponse:
    token = new_login_csrf()
    response = render("login.html", csrf=token, failed=error == "1", user=None)
    set_cookie(response, LOGIN_CSRF, token, secure=secure_cookies(runtime), max_age=3600)
    return response


@router.post("/login")
async def login(request: Request, runtime: RuntimeDep) -> Response:
    form = await request.form()
    email = clean(str(form.get("email") or ""))[:254].lower()
    password = str(form.get("password") or "")[:1000]
    if not same_secret(request.cookies.get(LOGIN_CSRF) or "-", str(form.get("csrf") or "")):
        return _see("/dashboard/login?error=1")
    if not await runtime.state.hit(f"login:{pseudonym(email)}", LOGIN_ATTEMPTS, 900):
        return _see("/dashboard/login?error=1")
    now = runtime.clock()
    async with runtime.sessions() as session:
        officer = await authenticate(session, email, password)
        if officer is None:
            audit(session, None, "login_failed", now)
            await session.commit()
            return _see("/dashboard/login?error=1")
        cookie, _ = await open_session(session, officer, now)
        audit(session, None, "login", now, officer=officer.id)
        await session.commit()
    response = _see("/dashboard/")
    secure = secure_cookies(runtime)
    set_cookie(response, COOKIE, cookie, secure=secure)
    clear_cookie(response, LOGIN_CSRF, secure=secure)
    return response


@router.post("/logout")
async def logout(request: Request, user: PostingUser, runtime: RuntimeDep) -> Response:
    async with runtime.sessions() as session:
        await close_session(session, request.cookies.get(COOKIE) or "")
        await session.commit()
    response = _see("/dashboard/login")
    clear_cookie(response, COOKIE, secure=secure_cookies(runtime))
    return response


# -- inbox -------------------------------------------------------------------


def _inbox_filter(request: Request) -> ComplaintFilter:
    params = request.query_params

    def text(name: str, limit: int = 64) -> str | None:
        return clean(params.get(name, ""))[:limit] or None

    def day(name: str) -> date | None:
        try:
            return date.fromisoformat(params.get(name, ""))
        except ValueError:
            return None

    overdue = params.get("overdue")
    return ComplaintFilter(
        status=tuple(s for s in params.getlist("status") if s in labels.STATUS),
        category=text("category"),
        region=text("region", 20),
        agency=text("agency"),
        created_from=day("from"),
        created_to=day("to"),
        overdue=True if overdue == "1" else None,
        q=text("q", 200),
        sort="due" if params.get("sort") == "due" else "newest",
    )


def _without_page(request: Request) -> str:
    return urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "halaman"])


@router.get("/")
async def inbox(
    request: Request, user: User, runtime: RuntimeDep, halaman: Annotated[int, Query(ge=1, le=10_000)] = 1
) -> HTMLResponse:
    who, today = user.principal, local_date(runtime.clock())
    f = _inbox_filter(request)
    async with runtime.sessions() as session:
        rows, total = await queries.search(session, who, f, today, PAGE_SIZE, (halaman - 1) * PAGE_SIZE)
        codes = await queries.agency_codes(session)
        counts = await queries.stats(session, who, today)
        agencies = await queries.agencies(session) if who.all_agencies else []
        unread = len(await notifications.for_officer(session, who, unread_only=True))
    return page(
        "inbox.html", user, items=[views.summary(c, codes, today) for c in rows], total=total,
        f=f, page_no=halaman, pages=max(1, -(-total // PAGE_SIZE)), stats=counts, agencies=agencies,
        unread=unread, query=_without_page(request),
    )  # fmt: skip


# -- one complaint -------------------------------------------------------------


async def _complaint_page(
    runtime: Runtime,
    user: DashboardUser,
    ticket: str,
    *,
    error: str | None = None,
    status: int = 200,
    shown: Identity | None = None,
    message: str | None = None,
) -> HTMLResponse:
    who = user.principal
    async with runtime.sessions() as session:
        complaint = await find(session, who, ticket, full=True)
        if complaint is None:
            return page("missing.html", user, 404)
        codes = await queries.agency_codes(session)
        record = await views.detail(session, who, complaint, codes, local_date(runtime.clock()))
        agencies = await queries.agencies(session)
    return page(
        "complaint.html", user, status, c=record, error=error, identity=shown, agencies=agencies,
        message=MESSAGES.get(message or ""), reasons=labels.REASON,
    )  # fmt: skip


@router.get("/complaints/{ticket}")
async def complaint(ticket: str, user: User, runtime: RuntimeDep, ok: str | None = None) -> HTMLResponse:
    return await _complaint_page(runtime, user, ticket[:32], message=ok)


@router.get("/complaints/{ticket}/attachments/{attachment_id}")
async def attachment(ticket: str, attachment_id: int, user: User, runtime: RuntimeDep) -> Response:
    async with runtime.sessions() as session:
        found = await find(session, user.principal, ticket[:32])
        row = await session.get(Attachment, attachment_id) if found and 0 < attachment_id < 2**53 else None
    if found is None or row is None or row.complaint_id != found.id:
        return page("missing.html", user, 404)
    return attachment_response(row)


@router.post("/complaints/{ticket}/identity")
async def show_identity(ticket: str, user: PostingUser, runtime: RuntimeDep) -> HTMLResponse:
    """Reveal the reporter's identity (audited); a POST because it leaves a trace."""
    async with runtime.sessions() as session:
        found = await find(session, user.principal, ticket[:32])
        if found is None:
            return page("missing.html", user, 404)
        try:
            shown = await identity.reveal(session, user.principal, found, runtime.clock())
        except ActionError as exc:
            await session.commit()
            return await _complaint_page(runtime, user, ticket, error=exc.pesan, status=exc.status_code)
        await session.commit()
    return await _complaint_page(runtime, user, ticket, shown=shown)


def _field(form: Any, name: str, limit: int = 2000) -> str | None:
    value = form.get(name)
    return clean(value)[:limit] or None if isinstance(value, str) else None


@router.post("/complaints/{ticket}/{action}")
async def act(ticket: str, action: str, request: Request, user: PostingUser, runtime: RuntimeDep) -> Response:
    form, who, ticket = await request.form(), user.principal, ticket[:32]
    note, internal = _field(form, "note"), _field(form, "internal_note")
    calls = {
        "status": lambda: actions.change_status(
            runtime, who, ticket, _field(form, "status", 32) or "", note, internal, _field(form, "reason", 32)
        ),
        "route": lambda: actions.reroute(
            runtime, who, ticket, _field(form, "agency", 32) or "", note, internal
        ),
        "request-info": lambda: actions.request_info(
            runtime, who, ticket, _field(form, "question") or "", internal
        ),
        "merge": lambda: actions.merge(runtime, who, ticket, _field(form, "into", 32) or "", note, internal),
        "reject": lambda: actions.reject(
            runtime, who, ticket, _field(form, "reason", 32) or "", note, internal
        ),
    }
    if action not in calls:
        return page("missing.html", user, 404)
    try:
        result: ActionResult = await calls[action]()
    except ActionError as exc:
        return await _complaint_page(runtime, user, ticket, error=exc.pesan, status=exc.status_code)
    return _see(f"/dashboard/complaints/{result.ticket}?ok={action}")


# -- notifications and delivery failures -------------------------------------------


@router.get("/notifications")
async def notification_list(user: User, runtime: RuntimeDep) -> HTMLResponse:
    async with runtime.sessions() as session:
        rows = await notifications.for_officer(session, user.principal, limit=200)
    return page("notifications.html", user, rows=rows)


@router.post("/notifications/{note_id}/read")
async def notification_read(note_id: int, user: PostingUser, runtime: RuntimeDep) -> Response:
    async with runtime.sessions() as session:
        if 0 < note_id < 2**53:
            await notifications.mark_read(session, user.principal, note_id, runtime.clock())
        await session.commit()
    return _see("/dashboard/notifications")


@router.get("/failures")
async def failure_list(user: User, runtime: RuntimeDep, ok: str | None = None) -> HTMLResponse:
    async with runtime.sessions() as session:
        rows = await failures.failures(session, user.principal, limit=200)
    return page("failures.html", user, rows=rows, message=MESSAGES.get(ok or ""))


@router.post("/outbox/{message_id}/retry")
async def failure_retry(message_id: int, user: PostingUser, runtime: RuntimeDep) -> Response:
    if not user.principal.can_write or not 0 < message_id < 2**53:
        return page("missing.html", user, 404)
    async with runtime.sessions() as session:
        retried = await failures.retry(session, user.principal, message_id, runtime.clock())
        if retried:
            audit(session, user.principal, "outbox_retry", runtime.clock(), message_id=message_id)
        await session.commit()
    if retried:
        runtime.dispatcher.send_soon([message_id])
    return _see("/dashboard/failures?ok=retry")


# -- wiring ------------------------------------------------------------------------


async def _login_required(request: Request, exc: Exception) -> Response:
    return _see("/dashboard/login")


async def _csrf_failed(request: Request, exc: Exception) -> Response:
    return render("forbidden.html", 403, user=None)


def install(app: FastAPI) -> None:
    """Mount the dashboard, its static files and its error handling on ``app``."""
    app.mount("/dashboard/static", StaticFiles(directory=HERE / "static"), name="dashboard-static")
    app.include_router(router)
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(CsrfFailed, _csrf_failed)
