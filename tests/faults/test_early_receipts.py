"""A delivery report that comes before the provider's message id is stored is kept and applied."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.delivery.receipts import apply_receipt
from bot.runtime.process import Runtime
from connectors.base import WebhookRequest, WebhookResponse
from connectors.messages import (
    DeliveryStatus,
    FailureReason,
    Inbound,
    Outbound,
    Receipt,
    SendOutcome,
    SendResult,
)
from storage.models import HeldReceipt, OutboxMessage, Reporter
from tests.support.citizen import RuntimeFactory


class QuickProvider:
    """A provider whose status callback reaches us before its API call has returned."""

    name = "quick"
    schemes: tuple[str, ...] = ("quick",)

    def __init__(self, runtime: Runtime, report: Receipt) -> None:
        self.runtime, self.report = runtime, report

    def parse(self, request: WebhookRequest) -> list[Inbound | Receipt]:
        return []

    def acknowledge(self, items: list[Inbound | Receipt]) -> WebhookResponse:
        return WebhookResponse()

    async def send(self, outbound: Outbound) -> SendResult:
        await apply_receipt(self.runtime.dispatcher, self.report)  # the callback, mid-send
        return SendResult(SendOutcome.SENT, (self.report.provider_message_id,))

    async def aclose(self) -> None:
        return None


async def _one_reply(runtime: Runtime, provider: QuickProvider) -> OutboxMessage:
    runtime.channels.add(provider, "quick")
    outcome = await runtime.conversations.handle(
        Inbound(address="quick:1", text="halo", external_id="u1", received_at=runtime.clock())
    )
    await runtime.dispatcher.send_ids(outcome.outbox_ids)
    async with runtime.sessions() as session:
        row = await session.get(OutboxMessage, outcome.outbox_ids[0])
        assert row is not None
        return row


async def test_a_report_before_the_id_is_stored_is_applied(make_runtime: RuntimeFactory) -> None:
    runtime = await make_runtime()
    provider = QuickProvider(runtime, Receipt("SM-early", DeliveryStatus.DELIVERED))
    row = await _one_reply(runtime, provider)
    assert (row.provider_message_id, row.status) == ("SM-early", "delivered")
    async with runtime.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(HeldReceipt)) == 0


async def test_an_early_failure_report_still_acts_on_the_citizen(make_runtime: RuntimeFactory) -> None:
    runtime = await make_runtime()
    report = Receipt(
        "SM-stop", DeliveryStatus.UNDELIVERED, error_code="21610", reason=FailureReason.OPTED_OUT
    )
    row = await _one_reply(runtime, QuickProvider(runtime, report))
    assert row.status == "undelivered"
    async with runtime.sessions() as session:
        opted_out = await session.scalar(select(Reporter.opted_out).where(Reporter.address == "quick:1"))
    assert opted_out is True


async def test_a_report_for_a_known_row_is_not_held(make_runtime: RuntimeFactory) -> None:
    runtime = await make_runtime()
    provider = QuickProvider(runtime, Receipt("SM-1", DeliveryStatus.SENT))
    await _one_reply(runtime, provider)
    late = Receipt("SM-1", DeliveryStatus.SENT)  # repeated: the row is already sent
    assert not await apply_receipt(runtime.dispatcher, late)
    async with runtime.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(HeldReceipt)) == 0
