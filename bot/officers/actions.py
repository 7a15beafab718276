"""The officer actions: change status, re-route (disposisi), merge, reject, ask for information.

Each builds a mutation and hands it to ``service.act``, which supplies scope,
locking, the push, the transaction and idempotency.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.officers import labels, lifecycle
from bot.officers.auth import Principal
from bot.officers.lifecycle import RejectionReason, Status
from bot.officers.pushes import Push, for_status
from bot.officers.scope import find
from bot.officers.service import (
    ActionResult,
    Change,
    Conflict,
    Idempotency,
    Invalid,
    Mutation,
    NotFound,
    Services,
    act,
    agency_by_code,
    agency_of,
    event,
    record,
)
from storage.models import Complaint

NOTE_LIMIT = 2000


def _label(status: str) -> str:
    return labels.STATUS.get(status, status).lower()


def _clean(note: str | None) -> str | None:
    text = (note or "").strip()
    if len(text) > NOTE_LIMIT:
        raise Invalid(
            f"notes are limited to {NOTE_LIMIT} characters", f"Catatan maksimal {NOTE_LIMIT} karakter."
        )
    return text or None


async def _move(
    session: AsyncSession, complaint: Complaint, target: str, now: datetime, **values: Any
) -> None:
    """Set the status only if nobody changed it since we read it (a lost update is a 409)."""
    statement = (
        update(Complaint)
        .where(Complaint.id == complaint.id, Complaint.status == complaint.status)
        .values(status=target, updated_at=now, **values)
    )
    result = cast("CursorResult[Any]", await session.execute(statement))
    if result.rowcount != 1:
        raise Conflict(
            "the complaint was changed meanwhile; reload and try again",
            "Laporan baru saja diubah orang lain. Muat ulang, lalu coba lagi.",
        )
    await session.refresh(complaint)


def status_mutation(
    who: Principal,
    target: str,
    note: str | None,
    internal_note: str | None,
    reason: str | None = None,
    *,
    by_officer: bool = True,
    push_key: str | None = None,
) -> Mutation:
    """Move a complaint to ``target``, with the checks the lifecycle demands."""
    note, internal_note = _clean(note), _clean(internal_note)

    async def mutate(session: AsyncSession, complaint: Complaint, now: datetime) -> Change:
        previous = complaint.status
        if not lifecycle.allowed(previous, target, by_officer=by_officer):
            raise Conflict(
                f"a complaint that is {previous} cannot become {target}",
                f"Status {_label(previous)} tidak dapat diubah menjadi {_label(target)}.",
            )
        values = _side_effects(complaint, target, reason, note, now)
        reopened = previous == Status.RESOLVED and target == Status.IN_PROGRESS
        await _move(session, complaint, target, now, **values)
        action = "reopen" if reopened else "status"
        row = event(
            session, complaint, who, now, action=action, from_status=previous, to_status=target,
            note=note, internal_note=internal_note,
        )  # fmt: skip
        record(session, who, "status_change", complaint, now, from_status=previous, to_status=target)
        push = Push(push_key, note) if push_key else for_status(target, note, reason, reopened)
        return Change(row, push, await agency_of(session, complaint))

    return mutate


def _side_effects(
    complaint: Complaint, target: str, reason: str | None, note: str | None, now: datetime
) -> dict[str, Any]:
    if target == Status.REJECTED:
        if reason not in set(RejectionReason):
            raise Invalid(
                f"rejecting needs a reason: one of {', '.join(RejectionReason)}",
                "Pilih alasan penolakan.",
            )
        return {"rejection_reason": reason}
    if target == Status.NEEDS_INFO and not note:
        raise Invalid(
            "asking for information needs the question for the reporter in 'note'",
            "Tulis pertanyaan untuk pelapor.",
        )
    if target == Status.RESOLVED:
        return {"resolved_at": now}
    if target == Status.CLOSED:
        return {"closed_at": now}
    if complaint.status == Status.RESOLVED and target == Status.IN_PROGRESS:
        return {"resolved_at": None, "reopen_count": complaint.reopen_count + 1}
    return {}


async def change_status(
    deps: Services,
    who: Principal,
    ticket: str,
    status: str,
    note: str | None = None,
    internal_note: str | None = None,
    reason: str | None = None,
    idempotency: Idempotency | None = None,
) -> ActionResult:
    """Move ``ticket`` to ``status``; the reporter hears about it in their chat."""
    if status not in set(Status):
        raise Invalid(f"unknown status {status!r}", "Status tidak dikenal.")
    mutation = status_mutation(who, status, note, internal_note, reason)
    return await act(deps, who, ticket, mutation, idempotency)


async def request_info(
    deps: Services, who: Principal, ticket: str, question: str, internal_note: str | None = None
) -> ActionResult:
    """Ask the reporter a question; their reply is attached to the complaint."""
    return await change_status(deps, who, ticket, Status.NEEDS_INFO, question, internal_note)


async def reject(
    deps: Services, who: Principal, ticket: str, reason: str, note: str | None = None,
    internal_note: str | None = None,
) -> ActionResult:  # fmt: skip
    return await change_status(deps, who, ticket, Status.REJECTED, note, internal_note, reason)


async def reroute(
    deps: Services, who: Principal, ticket: str, agency_code: str, note: str | None = None,
    internal_note: str | None = None,
) -> ActionResult:  # fmt: skip
    """Dispose the complaint to another agency (disposisi)."""
    note, internal_note = _clean(note), _clean(internal_note)

    async def mutate(session: AsyncSession, complaint: Complaint, now: datetime) -> Change:
        target = await agency_by_code(session, agency_code)
        if target is None:
            raise Invalid(f"no active agency with code {agency_code!r}", "Instansi tidak ditemukan.")
        if complaint.status in {Status.CLOSED, Status.REJECTED}:
            raise Conflict(
                f"a {complaint.status} complaint cannot be re-routed",
                f"Laporan berstatus {_label(complaint.status)} tidak dapat didisposisikan.",
            )
        if complaint.agency_id == target.id:
            raise Conflict(
                f"the complaint is already with {target.code}", f"Laporan sudah berada di {target.code}."
            )
        source = await agency_of(session, complaint)
        complaint.agency_id, complaint.updated_at = target.id, now
        trail = f"Disposisi: {source.code if source else '-'} → {target.code}"
        row = event(
            session, complaint, who, now, action="route",
            note=note, internal_note="\n".join(filter(None, [trail, internal_note])),
        )  # fmt: skip
        record(
            session,
            who,
            "route",
            complaint,
            now,
            from_agency=source.code if source else None,
            to_agency=target.code,
        )
        return Change(row, Push("push.routed", note), target)

    return await act(deps, who, ticket, mutate)


async def merge(
    deps: Services, who: Principal, ticket: str, into: str, note: str | None = None,
    internal_note: str | None = None,
) -> ActionResult:  # fmt: skip
    """Close ``ticket`` as a duplicate of ``into``; both must be visible to ``who``."""
    note, internal_note = _clean(note), _clean(internal_note)

    async def mutate(session: AsyncSession, complaint: Complaint, now: datetime) -> Change:
        target = await find(session, who, into)
        if target is None:
            raise NotFound(
                "the complaint to merge into was not found", "Tiket tujuan penggabungan tidak ditemukan."
            )
        if target.id == complaint.id:
            raise Invalid(
                "a complaint cannot be merged into itself", "Laporan tidak dapat digabung ke dirinya sendiri."
            )
        if target.status == Status.REJECTED:
            raise Conflict(
                "cannot merge into a rejected complaint", "Tidak dapat digabung ke laporan yang ditolak."
            )
        previous = complaint.status
        if not lifecycle.allowed(previous, Status.REJECTED):
            raise Conflict(
                f"a {previous} complaint cannot be merged",
                f"Laporan berstatus {_label(previous)} tidak dapat digabungkan.",
            )
        await _move(
            session, complaint, Status.REJECTED, now,
            rejection_reason=RejectionReason.DUPLICATE, merged_into_id=target.id,
        )  # fmt: skip
        trail = f"Digabung ke {target.ticket}"
        row = event(
            session, complaint, who, now, action="merge", from_status=previous, to_status=Status.REJECTED,
            note=note, internal_note="\n".join(filter(None, [trail, internal_note])),
        )  # fmt: skip
        event(
            session,
            target,
            who,
            now,
            action="merged_in",
            internal_note=f"{complaint.ticket} digabung ke sini",
        )
        target.updated_at = now
        record(session, who, "merge", complaint, now, into=target.ticket)
        return Change(row, Push("push.merged", note), await agency_of(session, complaint))

    return await act(deps, who, ticket, mutate)
