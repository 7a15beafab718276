"""Turn a verified Twilio inbound-message webhook into an ``Inbound``.

Shared by SMS and WhatsApp: the sender (``tel:+E164`` or ``whatsapp:+E164``),
``MessageSid`` as the dedup id, ``Body``, media (``NumMedia``, ``MediaUrlN``,
``MediaContentTypeN``), a shared location and the WhatsApp profile name. Media
of a type we do not accept (voice notes, videos, vCards) is dropped; when
nothing usable is left the message is marked ``unsupported`` so that the bot
answers politely instead of staying silent.
"""

from __future__ import annotations

import math
import re
from datetime import datetime

from connectors.base import WebhookRejected
from connectors.messages import Inbound, Location, Media
from connectors.phone import to_e164
from connectors.twilio.media import ACCEPTED_TYPES
from connectors.twilio.webhook import MAX_TEXT_CHARS, TwilioForm, message_sid

MAX_TWILIO_MEDIA = 10  # Twilio's own limit per message
_MEDIA_URL = re.compile(r"https?://[^\s]+")
# A WhatsApp business-scoped user id, sent instead of a phone number when the
# user hides theirs (e.g. ``whatsapp:US.13491208655302741918``).
_BSUID = re.compile(r"[A-Z]{2}\.[0-9A-Za-z]{1,64}")
_USABLE_TYPES = frozenset({"text", "image", "document", "location", "button", "interactive"})


def sender_address(form: TwilioForm, scheme: str) -> str:
    """The citizen's address from ``From``; 400 when it is not this channel's."""
    try:
        return channel_address(form.require("From", 64), scheme)
    except ValueError as exc:
        raise WebhookRejected(400, str(exc)) from exc


def channel_address(raw: str, scheme: str) -> str:
    """``+E164`` -> ``tel:+E164`` (scheme ``tel``); ``whatsapp:+E164`` stays as it is.

    Raises ``ValueError`` when ``raw`` is not a sender of that channel.
    """
    prefixed = raw.startswith("whatsapp:")
    if (scheme == "whatsapp") != prefixed:
        raise ValueError("sender does not belong to this channel")
    number = raw.removeprefix("whatsapp:")
    if scheme == "whatsapp" and _BSUID.fullmatch(number):
        return f"whatsapp:{number}"
    if not number.startswith("+"):
        raise ValueError("sender is not an E.164 number")
    return f"{scheme}:{to_e164(number)}"


def parse_inbound(form: TwilioForm, scheme: str, received_at: datetime, max_media: int) -> Inbound:
    """The ``Inbound`` of a verified inbound-message webhook; 400 when malformed."""
    address = sender_address(form, scheme)
    external_id = message_sid(form)
    payload = form.get("ButtonPayload", 256)
    text = payload or form.get("Body", MAX_TEXT_CHARS) or ""
    media, dropped = parse_media(form, max_media)
    location = parse_location(form)
    name = (form.get("ProfileName", 256) or "").strip() or None
    unsupported = None
    if not (text or media or location):
        unsupported = _unsupported_kind(form, dropped)
    return Inbound(
        address,
        text,
        received_at,
        external_id,
        media=media,
        location=location,
        display_name=name,
        unsupported=unsupported,
    )


def parse_media(form: TwilioForm, max_media: int) -> tuple[tuple[Media, ...], list[str]]:
    """Accepted media (at most ``max_media``) and the content types dropped."""
    count_text = form.get("NumMedia", 4) or "0"
    if not count_text.isascii() or not count_text.isdigit():
        raise WebhookRejected(400, "malformed NumMedia")
    count = int(count_text)
    if count > MAX_TWILIO_MEDIA:
        raise WebhookRejected(400, "too many media")
    kept: list[Media] = []
    dropped: list[str] = []
    for index in range(count):
        item = _media_item(form, index)
        if item.content_type in ACCEPTED_TYPES and len(kept) < max_media:
            kept.append(item)
        else:
            dropped.append(item.content_type)
    return tuple(kept), dropped


def _media_item(form: TwilioForm, index: int) -> Media:
    url = form.require(f"MediaUrl{index}")
    if not _MEDIA_URL.fullmatch(url):
        raise WebhookRejected(400, "malformed media URL")
    content_type = form.require(f"MediaContentType{index}", 128).split(";")[0].strip().lower()
    provider_id = url.rstrip("/").rsplit("/", 1)[-1][:64]
    return Media(content_type, url=url, provider_id=provider_id)


def parse_location(form: TwilioForm) -> Location | None:
    """A shared location (``Latitude``, ``Longitude``, ``Address``/``Label``)."""
    latitude = form.get("Latitude", 32)
    longitude = form.get("Longitude", 32)
    if latitude is None and longitude is None:
        return None
    if not latitude or not longitude:
        raise WebhookRejected(400, "incomplete location")
    lat, lon = _coordinate(latitude, 90.0), _coordinate(longitude, 180.0)
    address = (form.get("Address", 1024) or form.get("Label", 1024) or "").strip() or None
    return Location(lat, lon, address)


def _coordinate(text: str, bound: float) -> float:
    try:
        value = float(text)
    except ValueError as exc:
        raise WebhookRejected(400, "malformed coordinate") from exc
    if not math.isfinite(value) or abs(value) > bound:
        raise WebhookRejected(400, "coordinate out of range")
    return value


def _unsupported_kind(form: TwilioForm, dropped: list[str]) -> str:
    kind = (form.get("MessageType", 32) or "").lower()
    if kind and kind not in _USABLE_TYPES:
        return kind
    if dropped:
        return dropped[0].split("/")[0] or "media"
    return "empty"
