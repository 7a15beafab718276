"""Channels served by this process itself: REST, console, web chat, demo phones.

Replies to them travel in the HTTP response; pushes (status changes) are
published on the state store, where a chat page or console is listening.
"""

from __future__ import annotations

from bot.delivery.outbox_payload import to_payload
from connectors.base import WebhookRequest, WebhookResponse
from connectors.messages import Inbound, Outbound, Receipt, SendOutcome, SendResult
from storage.state import StateStore

LOCAL_SCHEMES = ("rest", "console", "web", "demo")


def push_channel(address: str) -> str:
    return f"push:{address}"


class LocalConnector:
    """Delivers pushes to listeners of ``push:<address>``."""

    name = "local"
    schemes: tuple[str, ...] = LOCAL_SCHEMES

    def __init__(self, state: StateStore) -> None:
        self.state = state

    def parse(self, request: WebhookRequest) -> list[Inbound | Receipt]:
        return []

    def acknowledge(self, items: list[Inbound | Receipt]) -> WebhookResponse:
        return WebhookResponse()

    async def send(self, outbound: Outbound) -> SendResult:
        await self.state.publish(push_channel(outbound.address), to_payload(outbound))
        return SendResult(SendOutcome.SENT)

    async def aclose(self) -> None:
        return None
