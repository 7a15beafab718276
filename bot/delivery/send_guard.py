"""The last checks before a message leaves for an SMS or WhatsApp number.

- Nothing is sent to an opted-out reporter, except the one confirmation of
  their STOP (``bot.intake.opt_out``); the row fails with ``opted_out``, no retry.
- WhatsApp takes free-form text only within 24 hours of the citizen's last
  message. The code that queues a push sets the approved template when the
  window is closed (``bot/officers/pushes.py``); this is the safety net for a
  push that was queued inside the window and sent after it closed (or queued
  by code that forgot): it becomes the ``status_update`` template when the row
  names a complaint, and fails otherwise. When Twilio still refuses a
  free-form push (error 63016), ``retry_as_template`` queues it once more as
  the template.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.privacy import mask_address
from bot.delivery.outbox_payload import from_payload, to_payload
from bot.intake.opt_out import CONFIRMATION_KIND
from bot.officers.pushes import WHATSAPP_TEMPLATE, WHATSAPP_WINDOW
from connectors.messages import Outbound, Template, channel_of
from dialogues.texts import Texts
from storage import outbox
from storage.models import Complaint, OutboxMessage, Reporter

log = logging.getLogger("lapor.send_guard")
GUARDED_CHANNELS = frozenset({"tel", "whatsapp"})
OPTED_OUT = "opted_out"
NO_TEMPLATE = "outside 24h window, no template"
OUTSIDE_WINDOW_CODE = "63016"  # Twilio: free-form WhatsApp message outside the window


@dataclass(frozen=True, slots=True)
class Refused:
    """The row must not be sent; ``error`` is recorded and it is not retried."""

    error: str


class SendGuard:
    """Vets outbox rows just before sending (one reporter lookup per phone row)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], texts: Texts | None = None) -> None:
        self.sessions = sessions
        self.texts = texts

    async def vet(self, row: OutboxMessage, now: datetime) -> Outbound | Refused:
        """The message to send for ``row`` (maybe as a template), or why not."""
        message = from_payload(row.payload)
        if channel_of(row.address) not in GUARDED_CHANNELS:
            return message
        async with self.sessions() as session:
            reporter = await session.scalar(select(Reporter).where(Reporter.address == row.address))
            if reporter is None:
                return message
            if reporter.opted_out and row.kind != CONFIRMATION_KIND:
                return Refused(OPTED_OUT)
            if not _needs_template(row, message, reporter, now):
                return message
            templated = await self._templated(session, row, message, reporter)
            if templated is None:
                return Refused(NO_TEMPLATE)
            # The row records what was really sent.
            await session.execute(
                update(OutboxMessage).where(OutboxMessage.id == row.id).values(payload=to_payload(templated))
            )
            await session.commit()
        log.info("push to %s sent as template: window closed", mask_address(row.address))
        return templated

    async def retry_as_template(self, row: OutboxMessage, now: datetime) -> int | None:
        """Queue ``row`` again as the template after Twilio refused it free-form
        (63016); the new row's id, or None when ``row`` is not a templatable push."""
        if not _free_form_whatsapp_push(row):
            return None
        async with self.sessions() as session:
            reporter = await session.scalar(select(Reporter).where(Reporter.address == row.address))
            if reporter is None or reporter.opted_out:
                return None
            templated = await self._templated(session, row, from_payload(row.payload), reporter)
            if templated is None:
                return None
            retry = outbox.enqueue(
                session,
                address=row.address,
                channel=row.channel,
                payload=to_payload(templated),
                now=now,
                kind=row.kind,
                complaint_id=row.complaint_id,
            )
            await session.flush()
            retry_id = retry.id
            await session.commit()
        log.info("push to %s refused outside the window: queued as template", mask_address(row.address))
        return retry_id

    async def _templated(
        self, session: AsyncSession, row: OutboxMessage, message: Outbound, reporter: Reporter
    ) -> Outbound | None:
        complaint = await session.get(Complaint, row.complaint_id) if row.complaint_id else None
        if complaint is None:
            return None
        return replace(message, template=status_template(complaint, self._status_title(complaint, reporter)))

    def _status_title(self, complaint: Complaint, reporter: Reporter) -> str:
        key = f"status.{complaint.status}"
        if self.texts is None or not self.texts.has(key, reporter.language):
            return complaint.status
        return self.texts.render(key, reporter.language)


def status_template(complaint: Complaint, status_title: str) -> Template:
    """The approved status template; its variables as ``bot.officers.pushes.with_template`` sets them."""
    return Template(WHATSAPP_TEMPLATE, {"1": complaint.ticket, "2": status_title})


def _free_form_whatsapp_push(row: OutboxMessage) -> bool:
    return channel_of(row.address) == "whatsapp" and row.kind == "push" and "template" not in row.payload


def _needs_template(row: OutboxMessage, message: Outbound, reporter: Reporter, now: datetime) -> bool:
    if not _free_form_whatsapp_push(row) or message.template is not None:
        return False
    last = reporter.last_inbound_at
    return last is None or now - last > WHATSAPP_WINDOW


def refused_outside_window(error: str | None) -> bool:
    """Whether a send or delivery error is Twilio's 63016 (outside the 24-hour window)."""
    return error is not None and OUTSIDE_WINDOW_CODE in error
