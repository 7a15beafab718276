"""The last checks before a message leaves for a citizen.

- Nothing is sent to an opted-out reporter, except the one confirmation of
  their STOP (``bot.intake.opt_out``); the row fails with ``opted_out``, no retry.
- A channel with a conversation window (WhatsApp: 24 hours after the citizen's
  last message) takes free-form text only inside it. The code that queues a push
  sets the approved template when the window is closed (``bot/officers/pushes.py``);
  this is the safety net for a push queued inside the window and sent after it
  closed (or queued by code that forgot): it becomes the status template when the
  row names a complaint, and fails otherwise. When the provider still refuses a
  free-form push as outside the window, ``retry_as_template`` queues it once more
  as the template.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.privacy import mask_address
from bot.delivery.channels import connector_for, window_of
from bot.delivery.outbox_kinds import OPT_OUT_CONFIRMATION, PUSH
from bot.delivery.outbox_payload import from_payload, to_payload
from bot.delivery.templates import status_template
from connectors.base import Connector, OptOutKeywords
from connectors.messages import Outbound
from dialogues.texts import Texts
from storage import outbox
from storage.models import Complaint, OutboxMessage, Reporter

log = logging.getLogger("lapor.send_guard")
OPTED_OUT = "opted_out"
NO_TEMPLATE = "outside 24h window, no template"


@dataclass(frozen=True, slots=True)
class Refused:
    """The row must not be sent; ``error`` is recorded and it is not retried."""

    error: str


class SendGuard:
    """Vets outbox rows just before sending (one reporter lookup per phone row)."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        connectors: Mapping[str, Connector],
        texts: Texts | None = None,
    ) -> None:
        self.sessions = sessions
        self.connectors = connectors
        self.texts = texts

    async def vet(self, row: OutboxMessage, now: datetime) -> Outbound | Refused:
        """The message to send for ``row`` (maybe as a template), or why not."""
        message = from_payload(row.payload)
        connector = connector_for(self.connectors, row.address)
        window = window_of(connector)
        if window is None and not isinstance(connector, OptOutKeywords):
            return message
        async with self.sessions() as session:
            reporter = await session.scalar(select(Reporter).where(Reporter.address == row.address))
            if reporter is None:
                return message
            if reporter.opted_out and row.kind != OPT_OUT_CONFIRMATION:
                return Refused(OPTED_OUT)
            if not _needs_template(row, message, reporter, now, window):
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
        """Queue ``row`` again as the template after the provider refused it free-form
        (outside the window); the new row's id, or None when ``row`` is not a templatable push."""
        if window_of(connector_for(self.connectors, row.address)) is None or not _free_form_push(row):
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
        return replace(
            message, template=status_template(complaint.ticket, self._status_title(complaint, reporter))
        )

    def _status_title(self, complaint: Complaint, reporter: Reporter) -> str:
        key = f"status.{complaint.status}"
        if self.texts is None or not self.texts.has(key, reporter.language):
            return complaint.status
        return self.texts.render(key, reporter.language)


def _free_form_push(row: OutboxMessage) -> bool:
    return row.kind == PUSH and "template" not in row.payload


def _needs_template(
    row: OutboxMessage, message: Outbound, reporter: Reporter, now: datetime, window: timedelta | None
) -> bool:
    if window is None or not _free_form_push(row) or message.template is not None:
        return False
    last = reporter.last_inbound_at
    return last is None or now - last > window
