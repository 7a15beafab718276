"""Tell the reporter what happened to their complaint, in their chat and language.

A push is rendered from a ``push.*`` text key and written to the outbox in
the transaction of the change; the dispatcher sends it after commit. Opted-out
reporters get nothing (the suppression is audited instead), and reporters on a
channel with a conversation window (WhatsApp) who are outside it get the approved
status template.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.render import Option, Renderer
from bot.delivery.outbox_kinds import PUSH
from bot.delivery.outbox_payload import to_payload
from bot.delivery.templates import status_template
from bot.officers.audit import audit
from bot.officers.auth import Principal
from bot.officers.deadlines import next_step
from connectors.messages import Outbound, channel_of
from dialogues.texts import Texts
from storage import outbox
from storage.models import Agency, Complaint, OutboxMessage, Reporter

NOTE_SMS_LIMIT = 100
QUESTION_SMS_LIMIT = 120
YES_NO = (Option("yes", "choice.yes"), Option("no", "choice.no"))


@dataclass(frozen=True, slots=True)
class Push:
    """What to tell the reporter: a ``push.*`` key, an optional note and choices."""

    key: str
    note: str | None = None
    reason: str | None = None
    options: tuple[Option, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)


def for_status(status: str, note: str | None, reason: str | None = None, reopened: bool = False) -> Push:
    """The push announcing that a complaint moved to ``status``."""
    if reopened:
        return Push("push.reopened", note)
    if status == "resolved":
        return Push("push.resolved", note, options=YES_NO)
    return Push(f"push.{status}", note, reason)


def _cut(text: str, limit: int) -> str:
    # "..." not "…": the ellipsis is not GSM-7 and would halve an SMS segment.
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def render(
    texts: Texts, reporter: Reporter, complaint: Complaint, agency: Agency | None, push: Push
) -> Outbound:
    """The channel-neutral message for ``push`` in the reporter's language."""
    renderer = Renderer(texts, reporter.language, reporter.address)
    note = (push.note or "").strip()
    params: dict[str, Any] = {
        "ticket": complaint.ticket,
        "status": renderer.word(f"status.{complaint.status}"),
        "agency": agency.name if agency else "LAPOR!",
        "agency_short": agency.code if agency else "LAPOR!",
        "next_step": next_step(renderer, complaint),
        "note": renderer.word("push.note", {"note": note}) if note else "",
        "note_short": texts.render_sms("push.note", renderer.language, {"note": _cut(note, NOTE_SMS_LIMIT)})
        if note
        else "",
        "question": note,
        "question_short": _cut(note, QUESTION_SMS_LIMIT),
        "reason": renderer.word(f"reason.{push.reason}") if push.reason else "",
        **push.extra,
    }
    return renderer.reply(push.key, params, push.options)


def with_template(
    message: Outbound,
    reporter: Reporter,
    complaint: Complaint,
    status_title: str,
    now: datetime,
    window: timedelta | None,
) -> Outbound:
    """Outside the channel's conversation window only the approved status template goes out."""
    last = reporter.last_inbound_at
    if window is None or (last is not None and now - last <= window):
        return message
    return replace(message, template=status_template(complaint.ticket, status_title))


def enqueue_push(
    session: AsyncSession,
    texts: Texts,
    reporter: Reporter,
    complaint: Complaint,
    agency: Agency | None,
    push: Push,
    now: datetime,
    who: Principal | None,
    window: timedelta | None = None,
) -> OutboxMessage | None:
    """Queue ``push`` for ``complaint``'s reporter in the caller's transaction.

    ``window``: the reporter's channel's conversation window (None: free-form text is
    always allowed). Returns None (and audits why) when the reporter must not be messaged.
    """
    if reporter.opted_out or reporter.erased_at is not None:
        reason = "opted_out" if reporter.opted_out else "erased"
        audit(session, who, "push_suppressed", now, complaint_id=complaint.id, key=push.key, reason=reason)
        return None
    message = render(texts, reporter, complaint, agency, push)
    title = texts.render(f"status.{complaint.status}", reporter.language)
    message = with_template(message, reporter, complaint, title, now, window)
    return outbox.enqueue(
        session,
        address=reporter.address,
        channel=channel_of(reporter.address),
        payload=to_payload(message),
        now=now,
        kind=PUSH,
        complaint_id=complaint.id,
    )
