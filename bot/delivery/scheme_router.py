"""Several transports, one address scheme: pick the connector by the number.

A transport may prefer some numbers of a scheme (``NumberPreference``: Kannel takes
``tel:+62...``); the one transport without a preference takes the rest. When only
preferring transports are configured, the first takes every number. Each transport
still receives on its own webhook paths; this router only decides where a send goes.
"""

from __future__ import annotations

from connectors.base import (
    ChannelConfigError,
    Connector,
    NumberPreference,
    WebhookRejected,
    WebhookRequest,
    WebhookResponse,
)
from connectors.media import MediaRejected
from connectors.messages import Inbound, Media, Outbound, Receipt, SendResult


class SchemeRouter:
    """A ``Connector`` for one scheme that delegates each send to one of its transports."""

    def __init__(self, scheme: str, transports: list[Connector]) -> None:
        fallbacks = [t for t in transports if not isinstance(t, NumberPreference)]
        if len(fallbacks) > 1:
            names = " and ".join(t.name for t in fallbacks)
            raise ChannelConfigError(f"{names} both send to {scheme}: addresses; configure only one of them")
        self.name = scheme
        self.schemes: tuple[str, ...] = (scheme,)
        self.transports = transports
        self.preferring = [t for t in transports if isinstance(t, NumberPreference)]
        self.fallback = fallbacks[0] if fallbacks else None

    def route(self, address: str) -> Connector:
        """The transport that sends to ``address``."""
        number = address.partition(":")[2]
        for transport in self.preferring:
            assert isinstance(transport, NumberPreference)
            if number.startswith(transport.preferred_prefixes):
                return transport
        return self.fallback or self.preferring[0]

    def parse(self, request: WebhookRequest) -> list[Inbound | Receipt]:
        """Never called: webhooks reach the transports on their own paths."""
        raise WebhookRejected(404, f"the {self.name} router has no webhook")

    def acknowledge(self, items: list[Inbound | Receipt]) -> WebhookResponse:
        return WebhookResponse()

    async def send(self, outbound: Outbound) -> SendResult:
        return await self.route(outbound.address).send(outbound)

    async def fetch_media(self, media: Media) -> bytes:
        """Attachments come from whichever transport can download them."""
        for transport in (self.fallback, *self.preferring):
            fetch = getattr(transport, "fetch_media", None)
            if fetch is not None:
                content: bytes = await fetch(media)
                return content
        raise MediaRejected(f"no {self.name} transport here can fetch media")

    async def aclose(self) -> None:
        for transport in self.transports:
            await transport.aclose()
