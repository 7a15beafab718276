"""The narrow contract every channel connector implements.

A connector *holds* its provider client (it never inherits one), turns the
provider's webhook request into ``Inbound`` messages or delivery ``Receipt``s
(pure: no network, no database), and sends one ``Outbound`` (the only network
call). Connectors are registered in one explicit table in ``bot/channels.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from connectors.messages import Inbound, Outbound, Receipt, SendResult


@dataclass(frozen=True, slots=True)
class WebhookRequest:
    """The exact request a provider made, as bytes, for signature checks.

    ``url`` is the public URL the provider called (the configured public base URL
    plus path and query), not the one our proxy forwarded.
    """

    method: str
    url: str
    headers: dict[str, str]
    body: bytes
    query: dict[str, str] = field(default_factory=dict)

    def header(self, name: str) -> str | None:
        """Case-insensitive header lookup."""
        lowered = name.lower()
        for key, value in self.headers.items():
            if key.lower() == lowered:
                return value
        return None


@dataclass(frozen=True, slots=True)
class WebhookResponse:
    """What the web app answers the provider once the request is accepted."""

    status: int = 200
    body: bytes = b""
    content_type: str = "text/plain"


class WebhookRejected(Exception):
    """The request failed verification (403) or is malformed (400).

    The message is safe to show to the caller; nothing must be processed.
    """

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@runtime_checkable
class Connector(Protocol):
    """One channel.

    ``name`` is the URL segment (``/webhooks/{name}``) and the settings key.
    ``schemes`` are the address schemes this connector sends to.
    """

    name: str
    schemes: tuple[str, ...]

    def parse(self, request: WebhookRequest) -> list[Inbound | Receipt]:
        """Verify and parse a webhook request; raise ``WebhookRejected``."""
        ...

    def acknowledge(self, items: list[Inbound | Receipt]) -> WebhookResponse:
        """The response the provider expects once ``items`` are stored."""
        ...

    async def send(self, outbound: Outbound) -> SendResult:
        """Render and send one message; report provider errors, never raise."""
        ...

    async def aclose(self) -> None:
        """Release the client's connections."""
        ...
