"""The channel-neutral message vocabulary shared by every connector.

An address is one URN-style string per citizen per channel (``telegram:12345``,
``whatsapp:+62812...``, ``tel:+62812...``, ``rest:budi``, ``web:abc``). It is the
conversation key, the reply address and the dedup scope.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class Media:
    """A photo or document attached to an inbound message.

    ``content`` holds the bytes once fetched (connectors that must download lazily
    leave it ``None`` and set ``url``); ``content_type`` is what the provider said,
    which callers must not trust without checking magic bytes.
    """

    content_type: str
    url: str | None = None
    content: bytes | None = None
    filename: str | None = None
    provider_id: str | None = None
    size: int | None = None


@dataclass(frozen=True, slots=True)
class Location:
    """Coordinates the citizen shared, with the provider's address text if any."""

    latitude: float
    longitude: float
    address: str | None = None


@dataclass(frozen=True, slots=True)
class Contact:
    """A shared phone contact; ``is_own`` is true only when it is the sender's own."""

    phone: str
    name: str | None = None
    is_own: bool = False


@dataclass(frozen=True, slots=True)
class Inbound:
    """One message from a citizen, already verified and parsed by its connector.

    ``external_id`` is the provider's id (``update_id``, ``MessageSid``...), the
    dedup key within ``address``'s channel; ``None`` for channels without one.
    ``unsupported`` names a message type the bot cannot read (voice, sticker...),
    so that the engine can answer politely instead of ignoring it.
    """

    address: str
    text: str
    received_at: datetime
    external_id: str | None = None
    media: tuple[Media, ...] = ()
    location: Location | None = None
    contact: Contact | None = None
    display_name: str | None = None
    unsupported: str | None = None
    callback_id: str | None = None

    @property
    def channel(self) -> str:
        """The address scheme: ``telegram``, ``tel``, ``whatsapp``, ``rest``..."""
        return channel_of(self.address)


class DeliveryStatus(StrEnum):
    """Where an outbound message is; it only ever moves forward."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    DELIVERED = "delivered"
    UNDELIVERED = "undelivered"
    FAILED = "failed"


class FailureReason(StrEnum):
    """Why a provider refused or could not deliver a message, in words the hub acts on.

    Each connector maps its provider's error codes to these inside its own folder;
    the hub never sees a provider code.
    """

    OPTED_OUT = "opted_out"  # the recipient unsubscribed: send nothing more
    OUTSIDE_WINDOW = "outside_window"  # free-form text refused: resend as the approved template
    UNREACHABLE = "unreachable"  # the recipient blocked us or has no account
    RATE_LIMITED = "rate_limited"  # too many messages: wait and retry
    UNDELIVERABLE = "undeliverable"  # this message cannot be delivered; others may


@dataclass(frozen=True, slots=True)
class Receipt:
    """A provider's delivery report for a message we sent earlier.

    ``error_code`` is the provider's code as text, recorded for officers;
    ``reason`` is what it means, for the hub to act on.
    """

    provider_message_id: str
    status: DeliveryStatus
    error_code: str | None = None
    reason: FailureReason | None = None


@dataclass(frozen=True, slots=True)
class Choice:
    """One answer the citizen can pick: ``title`` shown, ``payload`` sent back."""

    title: str
    payload: str


class Ask(StrEnum):
    """A special input the channel may offer a button for."""

    NONE = ""
    LOCATION = "location"
    CONTACT = "contact"


# Our key of the approved "your complaint is now <status>" template, which each channel with a
# conversation window maps to its provider's template in its own settings.
STATUS_TEMPLATE = "status_update"


@dataclass(frozen=True, slots=True)
class Template:
    """An approved message template, for channels that need one (WhatsApp)."""

    name: str
    variables: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Outbound:
    """One reply or push, channel-neutral; each connector renders it.

    ``short_text`` is the SMS variant of ``text``; ``template`` is used instead of
    ``text`` when a channel cannot send free-form text (WhatsApp outside 24 h).
    ``language`` (``id``/``en``) lets a connector word its own additions
    ("Balas 1, 2 atau 3", keyboard labels); ``key`` names the text, for tests.
    """

    address: str
    text: str
    choices: tuple[Choice, ...] = ()
    short_text: str | None = None
    ask: Ask = Ask.NONE
    media: tuple[Media, ...] = ()
    template: Template | None = None
    key: str = ""
    language: str = "id"


class SendOutcome(StrEnum):
    """How a send ended, as far as the retry policy cares."""

    SENT = "sent"
    RETRY = "retry"
    RATE_LIMITED = "rate_limited"
    UNREACHABLE = "unreachable"
    OPTED_OUT = "opted_out"
    OUTSIDE_WINDOW = "outside_window"  # resend once as the approved template
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class SendResult:
    """What ``Connector.send`` reports; it never raises for provider errors."""

    outcome: SendOutcome
    provider_message_ids: tuple[str, ...] = ()
    retry_after: float | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.outcome is SendOutcome.SENT


def channel_of(address: str) -> str:
    """Return the scheme of an address: ``channel_of("tel:+62812") == "tel"``."""
    scheme, sep, rest = address.partition(":")
    if not sep or not scheme or not rest:
        raise ValueError(f"not an address: {address!r}")
    return scheme
