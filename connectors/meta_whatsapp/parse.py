"""Turn a verified Cloud API webhook payload into ``Inbound`` messages and ``Receipt``s.

Pure: no network, no clock but the one passed in. A payload batches entries,
each entry changes; only ``field == "messages"`` changes carry messages and
statuses, others (account updates, template reviews) are ignored. A shape we
cannot read raises ``NotAPayload`` (the connector answers 400).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from connectors.messages import Inbound, Location, Media, Receipt
from connectors.meta_whatsapp.addresses import address_of_wa_id
from connectors.meta_whatsapp.errors import reason_for_code, receipt_status

MAX_TEXT_CHARS = 8192
MAX_ID_CHARS = 256
ACCEPTED_MEDIA_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "application/pdf"})
# A reaction or a system notice (the citizen changed number) is not a message to
# answer: an "I cannot read this" reply to a thumbs-up would only be noise.
IGNORED_TYPES = frozenset({"reaction", "system"})
_OBJECT = "whatsapp_business_account"


class NotAPayload(ValueError):
    """The body is JSON but not a Cloud API webhook we can read."""


def parse_payload(data: object, now: datetime) -> list[Inbound | Receipt]:
    """Every message and status in ``data``, in order; a repeated message id counts once."""
    root = _dict(data, "payload")
    if root.get("object") != _OBJECT:
        raise NotAPayload("not a WhatsApp Business Account webhook")
    items: list[Inbound | Receipt] = []
    seen: set[str] = set()
    for value in _message_values(root):
        for item in _items_of(value, now):
            if isinstance(item, Inbound) and item.external_id is not None:
                if item.external_id in seen:
                    continue
                seen.add(item.external_id)
            items.append(item)
    return items


def _message_values(root: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for entry in _list(root.get("entry"), "entry"):
        for item in _list(_dict(entry, "entry").get("changes", []), "changes"):
            change = _dict(item, "change")
            if change.get("field") == "messages":
                yield _dict(change.get("value"), "value")


def _items_of(value: dict[str, Any], now: datetime) -> Iterator[Inbound | Receipt]:
    names = _profile_names(value)
    for item in _list(value.get("messages", []), "messages"):
        message = _dict(item, "message")
        if message.get("type") not in IGNORED_TYPES:
            yield parse_message(message, names, now)
    for item in _list(value.get("statuses", []), "statuses"):
        receipt = parse_status(_dict(item, "status"))
        if receipt is not None:
            yield receipt


def _profile_names(value: dict[str, Any]) -> dict[str, str]:
    names: dict[str, str] = {}
    for item in _list(value.get("contacts", []), "contacts"):
        contact = _dict(item, "contact")
        profile = contact.get("profile")
        name = profile.get("name") if isinstance(profile, dict) else None
        wa_id = contact.get("wa_id")
        if isinstance(wa_id, str) and isinstance(name, str) and name.strip():
            names[wa_id] = name.strip()[:256]
    return names


def parse_message(message: dict[str, Any], names: dict[str, str], now: datetime) -> Inbound:
    """One inbound message: its text, or location, image, reply id; else ``unsupported``."""
    sender = _str(message, "from", 64)
    address = address_of_wa_id(sender)
    if address is None:
        raise NotAPayload("sender is not a phone number")
    kind = _str(message, "type", 64)
    fields: dict[str, Any] = {"text": ""}
    reader = _READERS.get(kind)
    if reader is None:
        fields["unsupported"] = kind or "unknown"
    else:
        fields.update(reader(message))
    return Inbound(
        address=address,
        received_at=_timestamp(message.get("timestamp"), now),
        external_id=_str(message, "id", MAX_ID_CHARS),
        display_name=names.get(sender),
        **fields,
    )


def _text(message: dict[str, Any]) -> dict[str, Any]:
    body = _dict(message.get("text"), "text")
    return {"text": _str(body, "body", MAX_TEXT_CHARS, required=False)}


def _interactive(message: dict[str, Any]) -> dict[str, Any]:
    """A tapped reply button or list row: the id is the choice payload we sent."""
    interactive = _dict(message.get("interactive"), "interactive")
    kind = interactive.get("type")
    reply = interactive.get(kind) if kind in {"button_reply", "list_reply"} else None
    if not isinstance(reply, dict):
        return {"unsupported": "interactive"}
    return {"text": _str(reply, "id", MAX_ID_CHARS)}


def _button(message: dict[str, Any]) -> dict[str, Any]:
    """A quick-reply button of a template: its payload, else its text."""
    button = _dict(message.get("button"), "button")
    payload = _str(button, "payload", MAX_ID_CHARS, required=False)
    return {"text": payload or _str(button, "text", MAX_ID_CHARS, required=False)}


def _location(message: dict[str, Any]) -> dict[str, Any]:
    place = _dict(message.get("location"), "location")
    latitude = _coordinate(place.get("latitude"), 90.0)
    longitude = _coordinate(place.get("longitude"), 180.0)
    words = [_str(place, key, 1024, required=False).strip() for key in ("name", "address")]
    address = ", ".join(word for word in words if word) or None
    return {"location": Location(latitude, longitude, address)}


def _image(message: dict[str, Any]) -> dict[str, Any]:
    return _media(message, "image")


def _document(message: dict[str, Any]) -> dict[str, Any]:
    return _media(message, "document")


def _media(message: dict[str, Any], kind: str) -> dict[str, Any]:
    """A photo or document the connector fetches later by its media id."""
    body = _dict(message.get(kind), kind)
    content_type = _str(body, "mime_type", 128).split(";")[0].strip().lower()
    caption = _str(body, "caption", MAX_TEXT_CHARS, required=False)
    if content_type not in ACCEPTED_MEDIA_TYPES:
        return {"text": caption, "unsupported": None if caption else kind}
    filename = _str(body, "filename", 256, required=False) or None
    media = Media(content_type, provider_id=_str(body, "id", MAX_ID_CHARS), filename=filename)
    return {"text": caption, "media": (media,)}


_READERS = {
    "text": _text,
    "interactive": _interactive,
    "button": _button,
    "location": _location,
    "image": _image,
    "document": _document,
}


def parse_status(status: dict[str, Any]) -> Receipt | None:
    """A delivery report: ``read`` counts as delivered; a failure keeps its first error.

    ``None`` for a status we do not track (``deleted``, ``warning``...): a 400
    would only make Meta deliver it again for days.
    """
    delivery = receipt_status(_str(status, "status", 32))
    if delivery is None:
        return None
    code = _first_error_code(status.get("errors"))
    return Receipt(
        provider_message_id=_str(status, "id", MAX_ID_CHARS),
        status=delivery,
        error_code=code,
        reason=reason_for_code(code) if code is not None else None,
    )


def _first_error_code(errors: object) -> str | None:
    if not isinstance(errors, list) or not errors or not isinstance(errors[0], dict):
        return None
    code = errors[0].get("code")
    if isinstance(code, bool) or not isinstance(code, int | str):
        return None
    text = str(code).strip()
    return text[:16] if text.isascii() and text.isdigit() else None


def _timestamp(value: object, now: datetime) -> datetime:
    """Meta's Unix seconds as a string; ``now`` when absent or absurd."""
    text = str(value) if isinstance(value, int | str) and not isinstance(value, bool) else ""
    if not (text.isascii() and text.isdigit() and len(text) <= 11):
        return now
    return datetime.fromtimestamp(int(text), UTC)


def _coordinate(value: object, bound: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise NotAPayload("malformed coordinate")
    try:
        number = float(value)
    except ValueError as exc:
        raise NotAPayload("malformed coordinate") from exc
    if not math.isfinite(number) or abs(number) > bound:
        raise NotAPayload("coordinate out of range")
    return number


def _dict(value: object, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise NotAPayload(f"{what} is not an object")
    return value


def _list(value: object, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise NotAPayload(f"{what} is not a list")
    return value


def _str(data: dict[str, Any], key: str, limit: int, *, required: bool = True) -> str:
    value = data.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value):
        raise NotAPayload(f"{key} is missing or not text")
    if len(value) > limit:
        raise NotAPayload(f"{key} is too long")
    return value
