"""The narrow contract every channel connector implements.

A connector *holds* its provider client (it never inherits one), turns the
provider's webhook request into ``Inbound`` messages or delivery ``Receipt``s
(pure: no network, no database), and sends one ``Outbound`` (the only network
call). Connectors are registered in one explicit table in ``bot/channels.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, ClassVar, Literal, Protocol, Self, runtime_checkable

from pydantic import BaseModel

from connectors.messages import Inbound, Media, Outbound, Receipt, SendResult


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


# Optional capabilities. The hub detects them with ``isinstance`` (they are runtime
# checkable), so a channel offers only what its provider has.


@runtime_checkable
class FetchesMedia(Protocol):
    """Downloads an inbound ``Media`` the provider only referenced (by URL or id)."""

    async def fetch_media(self, media: Media) -> bytes:
        """The bytes, bounded in size; raise ``connectors.media.MediaRejected``."""
        ...


@runtime_checkable
class Handshake(Protocol):
    """Answers a provider's ``GET`` on the webhook path (Meta's subscription check)."""

    def handshake(self, request: WebhookRequest) -> WebhookResponse:
        """The answer to a verification request; raise ``WebhookRejected`` (403) otherwise."""
        ...


OptKeyword = Literal["stop", "start"]


@runtime_checkable
class OptOutKeywords(Protocol):
    """A channel where a citizen can unsubscribe with a word (STOP, BERHENTI...)."""

    def opt_keyword(self, address: str, text: str) -> OptKeyword | None:
        """The opt-out (``stop``) or opt-in (``start``) meaning of ``text``; None if neither."""
        ...

    def provider_answers(self, address: str, text: str) -> bool:
        """Whether the provider itself confirms this keyword to the citizen (we stay silent)."""
        ...


@runtime_checkable
class ConversationWindow(Protocol):
    """A channel that accepts free-form text only for a while after the citizen's last
    message (WhatsApp: 24 hours); outside it only approved templates go out."""

    window: timedelta

    def has_template(self, name: str) -> bool:
        """Whether an approved template is configured for our template key ``name``."""
        ...


@dataclass(frozen=True, slots=True)
class Update:
    """One item of a long-polling batch: its offset, and what it carried.

    ``skipped`` says why an update that carried nothing usable is confirmed unread.
    """

    offset: int
    items: list[Inbound | Receipt]
    skipped: str | None = None


class ProviderCallFailed(Exception):
    """A provider call other than ``send`` failed (a poll, a webhook registration).

    ``reason`` is safe to show (never a token); ``retryable`` False means trying again
    cannot help (a bad token).
    """

    def __init__(self, reason: str, *, retryable: bool, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        self.retry_after = retry_after


@runtime_checkable
class LongPolling(Protocol):
    """A channel whose provider can be polled for updates (no public URL needed)."""

    async def poll(self, offset: int | None, wait_seconds: int) -> list[Update]:
        """The updates from ``offset`` on; asking with a higher offset confirms those below it.

        Raises ``ProviderCallFailed``.
        """
        ...

    async def webhook_info(self) -> dict[str, Any]:
        """The webhook the provider has (``url`` empty when none: polling may run)."""
        ...

    async def set_webhook(self, url: str) -> None:
        """Register ``url`` (HTTPS) as the webhook; raises ``ProviderCallFailed`` when refused."""
        ...

    async def delete_webhook(self) -> None:
        """Remove the webhook, keeping pending updates for polling."""
        ...


@runtime_checkable
class AnswersCallbacks(Protocol):
    """A channel whose button presses must be acknowledged (Telegram's spinner)."""

    async def answer_callback(self, callback_id: str) -> None: ...


@runtime_checkable
class NumberPreference(Protocol):
    """A transport that is preferred for some numbers of a shared scheme (Kannel: ``+62``).

    Two connectors may share a scheme only when one of them prefers some numbers.
    """

    preferred_prefixes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Registration:
    """A built connector and the webhook paths it serves (under ``/webhooks/``)."""

    connector: Connector
    paths: tuple[str, ...] = ()


class ChannelConfigError(SystemExit):
    """A channel's settings are incomplete or contradictory; the message names the variables."""


class ChannelSettings(BaseModel):
    """A channel's section of the process settings: flat ``LAPOR_<CHANNEL>_*`` fields.

    The process settings inherit every registered section, so each variable is read,
    validated and documented once; ``build`` turns the section into connectors.
    """

    # The CLI group (``lapor <name> poll``) of a channel that offers long polling.
    polling_command: ClassVar[str | None] = None
    # What to set to turn the channel on, for messages: "set LAPOR_X_TOKEN and ...".
    setup_hint: ClassVar[str] = ""
    # Webhook paths (under /webhooks/) whose provider sends larger bodies than the
    # default 1 MiB, with their limit in bytes.
    webhook_body_limits: ClassVar[tuple[tuple[str, int], ...]] = ()
    # Libraries that log message texts or URLs with tokens below WARNING.
    chatty_loggers: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def build(cls, settings: Self, public_url: str) -> list[Registration]:
        """The connectors this section turns on, with their webhook paths; none when unset.

        ``public_url`` is the base URL providers call (signatures are checked against it).
        A half-configured section raises ``ChannelConfigError``.
        """
        raise NotImplementedError


def require_all(settings: BaseModel, label: str, names: tuple[str, ...]) -> None:
    """Refuse a half-configured channel, naming the variables still missing."""
    missing = [f"LAPOR_{name.upper()}" for name in names if not getattr(settings, name)]
    if missing:
        raise ChannelConfigError(f"{label} is partly configured: set {', '.join(missing)}")


def any_set(settings: BaseModel, names: tuple[str, ...]) -> bool:
    return any(getattr(settings, name) for name in names)
