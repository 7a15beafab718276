"""Delivery reports (Twilio status callbacks, Kannel DLRs) move outbox rows.

A report only ever moves a row forward (queued < sending < sent < delivered;
undelivered and failed end it: ``storage.outbox.apply_receipt``). A failure
that says something about the citizen acts on it once, when it first lands:
Twilio's 21610 marks the reporter opted out, and 63016 (a free-form WhatsApp
push outside the 24-hour window) sends the push again as the template.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from bot.delivery.send_guard import refused_outside_window
from connectors.messages import DeliveryStatus, FailureReason, Receipt, SendOutcome
from storage import outbox
from storage.models import OutboxMessage

if TYPE_CHECKING:  # the dispatcher applies held reports through this module
    from bot.delivery.dispatcher import Dispatcher

UNSUBSCRIBED_CODE = "21610"  # Twilio: the recipient replied STOP
_FAILURES = frozenset({DeliveryStatus.FAILED, DeliveryStatus.UNDELIVERED})


async def apply_receipt(dispatcher: Dispatcher, receipt: Receipt) -> bool:
    """Apply ``receipt``; True when its row moved forward."""
    moved = await outbox.apply_receipt(
        dispatcher.sessions,
        receipt.provider_message_id,
        receipt.status.value,
        error=receipt.error_code,
        now=dispatcher.clock(),
        reason=receipt.reason.value if receipt.reason else None,
    )
    if moved and receipt.status in _FAILURES and receipt.error_code:
        await _act_on_failure(dispatcher, receipt)
    return moved


async def apply_held(dispatcher: Dispatcher, provider_message_id: str) -> None:
    """Apply the reports that came before ``provider_message_id`` was stored."""
    for held in await outbox.release_held(dispatcher.sessions, provider_message_id):
        reason = FailureReason(held.reason) if held.reason else None
        receipt = Receipt(provider_message_id, DeliveryStatus(held.status), held.error, reason)
        await apply_receipt(dispatcher, receipt)


async def _act_on_failure(dispatcher: Dispatcher, receipt: Receipt) -> None:
    row = await _row(dispatcher, receipt.provider_message_id)
    if row is None:
        return
    if receipt.error_code == UNSUBSCRIBED_CODE:
        await dispatcher.mark_reporter(row.address, SendOutcome.OPTED_OUT)
    elif refused_outside_window(receipt.error_code):
        await dispatcher.resend_as_template(row)


async def _row(dispatcher: Dispatcher, provider_message_id: str) -> OutboxMessage | None:
    statement = select(OutboxMessage).where(OutboxMessage.provider_message_id == provider_message_id)
    async with dispatcher.sessions() as session:
        row = await session.scalar(statement)
        if row is not None:
            session.expunge(row)
        return row
