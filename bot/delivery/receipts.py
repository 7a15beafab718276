"""Delivery reports (status callbacks, DLRs) move outbox rows.

A report only ever moves a row forward (queued < sending < sent < delivered;
undelivered and failed end it: ``storage.outbox.apply_receipt``). A failure
whose reason says something about the citizen acts on it once, when it first
lands: opted out marks the reporter, and outside the conversation window sends
the push again as the template.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from connectors.messages import DeliveryStatus, FailureReason, Receipt, SendOutcome
from storage import outbox
from storage.models import OutboxMessage

if TYPE_CHECKING:  # the dispatcher applies held reports through this module
    from bot.delivery.dispatcher import Dispatcher
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
    if moved and receipt.status in _FAILURES and receipt.reason:
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
    if receipt.reason is FailureReason.OPTED_OUT:
        await dispatcher.mark_reporter(row.address, SendOutcome.OPTED_OUT)
    elif receipt.reason is FailureReason.OUTSIDE_WINDOW:
        await dispatcher.resend_as_template(row)


async def _row(dispatcher: Dispatcher, provider_message_id: str) -> OutboxMessage | None:
    statement = select(OutboxMessage).where(OutboxMessage.provider_message_id == provider_message_id)
    async with dispatcher.sessions() as session:
        row = await session.scalar(statement)
        if row is not None:
            session.expunge(row)
        return row
