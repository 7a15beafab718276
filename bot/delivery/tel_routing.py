"""Two SMS transports, one ``tel`` scheme: pick the connector by the number.

Indonesian numbers (``tel:+62...``) go through Kannel (Twilio has no two-way
SMS in Indonesia); every other number goes through Twilio SMS. When only one
of them is configured it takes every number. Each transport still receives
on its own webhook paths; this router only decides where a send goes.
"""

from __future__ import annotations

from connectors.base import Connector, WebhookRejected, WebhookRequest, WebhookResponse
from connectors.media import MediaRejected
from connectors.messages import Inbound, Media, Outbound, Receipt, SendResult
from connectors.phone import tel_number

INDONESIA = "+62"


class TelRouter:
    """A ``Connector`` for the ``tel`` scheme that delegates by country code."""

    name: str = "tel"
    schemes: tuple[str, ...] = ("tel",)

    def __init__(self, *, indonesia: Connector | None, elsewhere: Connector | None) -> None:
        if indonesia is None and elsewhere is None:
            raise ValueError("a tel router needs at least one SMS transport")
        self.indonesia = indonesia
        self.elsewhere = elsewhere

    def route(self, address: str) -> Connector:
        """The transport that sends to ``address``."""
        if self.indonesia is None:
            assert self.elsewhere is not None
            return self.elsewhere
        if self.elsewhere is None:
            return self.indonesia
        number = tel_number(address) or ""
        return self.indonesia if number.startswith(INDONESIA) else self.elsewhere

    def parse(self, request: WebhookRequest) -> list[Inbound | Receipt]:
        """Never called: webhooks reach the transports on their own paths."""
        raise WebhookRejected(404, "the tel router has no webhook")

    def acknowledge(self, items: list[Inbound | Receipt]) -> WebhookResponse:
        return WebhookResponse()

    async def send(self, outbound: Outbound) -> SendResult:
        return await self.route(outbound.address).send(outbound)

    async def fetch_media(self, media: Media) -> bytes:
        """MMS attachments: only Twilio delivers them (Kannel carries text only)."""
        for transport in (self.elsewhere, self.indonesia):
            fetch = getattr(transport, "fetch_media", None)
            if fetch is not None:
                content: bytes = await fetch(media)
                return content
        raise MediaRejected("no SMS transport here can fetch media")

    async def aclose(self) -> None:
        for transport in (self.indonesia, self.elsewhere):
            if transport is not None:
                await transport.aclose()
