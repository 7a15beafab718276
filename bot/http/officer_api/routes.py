"""The officer REST API under ``/api/v1`` (bearer tokens; OpenAPI at ``/openapi.json``)."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, HTTPException, Path, Query, Response

from bot.core.text_hygiene import clean
from bot.engine.dates import local_date
from bot.http.deps import get_runtime
from bot.http.officer_api.auth import Reader, Writer
from bot.officers import actions, failures, notifications, queries, views
from bot.officers.audit import audit
from bot.officers.identity import reveal
from bot.officers.queries import ComplaintFilter
from bot.officers.schemas import (
    ActionOut,
    AgencyOut,
    ComplaintDetail,
    ComplaintPage,
    Error,
    Failure,
    Identity,
    InfoRequest,
    Me,
    MergeRequest,
    Notification,
    RejectRequest,
    RouteRequest,
    StatusChange,
    StatusName,
)
from bot.officers.scope import find
from bot.officers.service import ActionError, ActionResult, Idempotency
from bot.runtime.process import Runtime
from storage.models import Agency, Attachment

_ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": Error, "description": "No valid API token"},
    403: {"model": Error, "description": "The account may not do this"},
    404: {"model": Error, "description": "No such complaint for this account"},
}
_ACTION_ERRORS: dict[int | str, dict[str, object]] = {
    **_ERRORS,
    409: {"model": Error, "description": "Not possible in the complaint's current state"},
    503: {"model": Error, "description": "The reporter's conversation is busy; retry"},
}
router = APIRouter(prefix="/api/v1", tags=["officers"], responses=_ERRORS)
RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
Ticket = Annotated[str, Path(min_length=1, max_length=32, description="e.g. LPR-7K3M9QXD")]
RowId = Annotated[int, Path(ge=1, le=2**53)]
_IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif"}


def _filter(
    status: Annotated[list[StatusName] | None, Query()] = None,
    category: Annotated[str | None, Query(max_length=32)] = None,
    region: Annotated[str | None, Query(max_length=20, description="Kemendagri code, e.g. 34.04")] = None,
    agency: Annotated[str | None, Query(max_length=32, description="Agency code")] = None,
    created_from: date | None = None,
    created_to: date | None = None,
    overdue: bool | None = None,
    q: Annotated[str | None, Query(max_length=200, description="Search ticket, title, text, place")] = None,
    sort: Literal["newest", "due"] = "newest",
) -> ComplaintFilter:
    return ComplaintFilter(
        status=tuple(status or ()),
        category=clean(category) if category else None,
        region=clean(region) if region else None,
        agency=clean(agency) if agency else None,
        created_from=created_from,
        created_to=created_to,
        overdue=overdue,
        q=clean(q) if q else None,
        sort=sort,
    )


Filter = Annotated[ComplaintFilter, Depends(_filter)]


async def _run(call: Awaitable[ActionResult]) -> ActionOut:
    try:
        result = await call
    except ActionError as exc:
        raise HTTPException(exc.status_code, exc.message) from None
    return ActionOut(**result.as_dict())


@router.get("/me", response_model=Me)
async def me(who: Reader, runtime: RuntimeDep) -> Me:
    async with runtime.sessions() as session:
        agency = await session.get(Agency, who.agency_id) if who.agency_id else None
    return Me(
        email=who.email,
        role=who.role,
        agency=agency.code if agency else None,
        identity_access=who.identity_access,
    )


@router.get("/agencies", response_model=list[AgencyOut])
async def list_agencies(who: Reader, runtime: RuntimeDep) -> list[AgencyOut]:
    async with runtime.sessions() as session:
        rows = await queries.agencies(session)
    return [AgencyOut(code=a.code, name=a.name, region_code=a.region_code) for a in rows]


@router.get("/complaints", response_model=ComplaintPage)
async def list_complaints(
    who: Reader,
    runtime: RuntimeDep,
    f: Filter,
    limit: Annotated[int, Query(ge=1, le=queries.MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> ComplaintPage:
    """Complaints of the caller's agency (all agencies for an admin), newest first."""
    today = local_date(runtime.clock())
    async with runtime.sessions() as session:
        rows, total = await queries.search(session, who, f, today, limit, offset)
        codes = await queries.agency_codes(session)
    items = [views.summary(c, codes, today) for c in rows]
    return ComplaintPage(items=items, total=total, limit=limit, offset=offset)


@router.get("/complaints/{ticket}", response_model=ComplaintDetail)
async def get_complaint(ticket: Ticket, who: Reader, runtime: RuntimeDep) -> ComplaintDetail:
    """One complaint with its history, attachments and conversation transcript."""
    async with runtime.sessions() as session:
        complaint = await find(session, who, ticket, full=True)
        if complaint is None:
            raise HTTPException(404, "complaint not found")
        codes = await queries.agency_codes(session)
        return await views.detail(session, who, complaint, codes, local_date(runtime.clock()))


@router.get("/complaints/{ticket}/reporter", response_model=Identity)
async def get_identity(ticket: Ticket, who: Reader, runtime: RuntimeDep) -> Identity:
    """The reporter's identity: needs identity access, is audited, and never exists for anonymous reports."""
    now = runtime.clock()
    async with runtime.sessions() as session:
        complaint = await find(session, who, ticket)
        if complaint is None:
            raise HTTPException(404, "complaint not found")
        try:
            identity = await reveal(session, who, complaint, now)
        except ActionError as exc:
            await session.commit()  # the refusal stays in the audit log
            raise HTTPException(exc.status_code, exc.message) from None
        await session.commit()
        return identity


@router.get(
    "/complaints/{ticket}/attachments/{attachment_id}",
    response_class=Response,
    responses={200: {"content": {"image/jpeg": {}, "image/png": {}, "application/pdf": {}}}},
)
async def get_attachment(ticket: Ticket, attachment_id: RowId, who: Reader, runtime: RuntimeDep) -> Response:
    async with runtime.sessions() as session:
        complaint = await find(session, who, ticket)
        attachment = await session.get(Attachment, attachment_id) if complaint else None
    if complaint is None or attachment is None or attachment.complaint_id != complaint.id:
        raise HTTPException(404, "attachment not found")
    return attachment_response(attachment)


def attachment_response(attachment: Attachment) -> Response:
    """Sanitised bytes, never interpreted as a page: images inline, everything else a download."""
    inline = attachment.content_type in _IMAGE_TYPES
    headers = {
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Content-Disposition": "inline" if inline else f'attachment; filename="lampiran-{attachment.id}"',
        "Cache-Control": "private, no-store",
    }
    media_type = attachment.content_type if inline else "application/octet-stream"
    return Response(attachment.content, media_type=media_type, headers=headers)


@router.post("/complaints/{ticket}/status", response_model=ActionOut, responses=_ACTION_ERRORS)
async def change_status(
    ticket: Ticket,
    body: StatusChange,
    who: Writer,
    runtime: RuntimeDep,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> ActionOut:
    """Change the status; the reporter gets a message in their chat, in their language.

    With an ``Idempotency-Key`` header, repeating the same request returns the
    first answer and changes nothing; reusing the key for another request is a 422.
    """
    key = clean(idempotency_key or "")
    idempotency = Idempotency.of(key, f"/complaints/{ticket}/status", body.model_dump()) if key else None
    return await _run(
        actions.change_status(
            runtime, who, ticket, body.status, body.note, body.internal_note, body.reason, idempotency
        )
    )


@router.post("/complaints/{ticket}/route", response_model=ActionOut, responses=_ACTION_ERRORS)
async def reroute(ticket: Ticket, body: RouteRequest, who: Writer, runtime: RuntimeDep) -> ActionOut:
    """Dispose the complaint to another agency (disposisi)."""
    return await _run(actions.reroute(runtime, who, ticket, body.agency, body.note, body.internal_note))


@router.post("/complaints/{ticket}/request-info", response_model=ActionOut, responses=_ACTION_ERRORS)
async def request_info(ticket: Ticket, body: InfoRequest, who: Writer, runtime: RuntimeDep) -> ActionOut:
    """Ask the reporter a question; their reply is attached and the officers notified."""
    return await _run(actions.request_info(runtime, who, ticket, body.question, body.internal_note))


@router.post("/complaints/{ticket}/merge", response_model=ActionOut, responses=_ACTION_ERRORS)
async def merge(ticket: Ticket, body: MergeRequest, who: Writer, runtime: RuntimeDep) -> ActionOut:
    """Close this complaint as a duplicate of ``into``."""
    return await _run(actions.merge(runtime, who, ticket, body.into, body.note, body.internal_note))


@router.post("/complaints/{ticket}/reject", response_model=ActionOut, responses=_ACTION_ERRORS)
async def reject(ticket: Ticket, body: RejectRequest, who: Writer, runtime: RuntimeDep) -> ActionOut:
    """Reject with a reason (bukan_wewenang, tidak_dapat_diproses, duplikat, spam)."""
    return await _run(actions.reject(runtime, who, ticket, body.reason, body.note, body.internal_note))


@router.get("/notifications", response_model=list[Notification])
async def list_notifications(
    who: Reader, runtime: RuntimeDep, unread: bool = False, limit: Annotated[int, Query(ge=1, le=200)] = 50
) -> list[Notification]:
    """Reporter replies, reopenings and overdue reminders for the caller's complaints."""
    async with runtime.sessions() as session:
        rows = await notifications.for_officer(session, who, unread_only=unread, limit=limit)
    return [
        Notification(id=n.id, ticket=t, kind=n.kind, text=n.text, created_at=n.created_at, read_at=n.read_at)
        for n, t in rows
    ]


@router.post("/notifications/{notification_id}/read", status_code=204, response_class=Response)
async def read_notification(notification_id: RowId, who: Reader, runtime: RuntimeDep) -> Response:
    async with runtime.sessions() as session:
        if not await notifications.mark_read(session, who, notification_id, runtime.clock()):
            raise HTTPException(404, "notification not found")
        await session.commit()
    return Response(status_code=204)


@router.get("/outbox/failures", response_model=list[Failure])
async def list_failures(
    who: Reader, runtime: RuntimeDep, limit: Annotated[int, Query(ge=1, le=200)] = 100
) -> list[Failure]:
    """Messages that could not be delivered (failed, dead-lettered, undelivered)."""
    async with runtime.sessions() as session:
        return await failures.failures(session, who, limit)


@router.post("/outbox/{message_id}/retry", status_code=204, response_class=Response)
async def retry_failure(message_id: RowId, who: Writer, runtime: RuntimeDep) -> Response:
    """Queue a failed message again from its first attempt."""
    async with runtime.sessions() as session:
        if not await failures.retry(session, who, message_id, runtime.clock()):
            raise HTTPException(404, "no failed message with this id")
        audit(session, who, "outbox_retry", runtime.clock(), message_id=message_id)
        await session.commit()
    runtime.dispatcher.send_soon([message_id])
    return Response(status_code=204)
