"""Verify and read Twilio's webhooks (inbound messages and status callbacks).

Twilio signs ``X-Twilio-Signature`` = HMAC-SHA1 over the public URL it called
plus every POST parameter, sorted. The check uses twilio's own
``RequestValidator`` over ``WebhookRequest.url``: the configured public URL,
which stays right behind a TLS-terminating proxy. It fails closed: a missing or
wrong signature is a 403, anything malformed or oversized a 400.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import parse_qsl

from twilio.request_validator import RequestValidator

from connectors.base import WebhookRejected, WebhookRequest
from connectors.messages import DeliveryStatus, Receipt
from connectors.twilio.errors import reason_for

MAX_BODY_BYTES = 64 * 1024
MAX_FIELDS = 200
MAX_FIELD_CHARS = 2048
MAX_TEXT_CHARS = 4096
SIGNATURE_HEADER = "X-Twilio-Signature"
_SID = re.compile(r"[A-Z]{2}[0-9a-fA-F]{32}")
_ERROR_CODE = re.compile(r"[0-9]{1,10}")
_FORM_TYPE = "application/x-www-form-urlencoded"

# Twilio's MessageStatus values; "receiving"/"received" describe inbound messages.
_STATUSES = {
    "accepted": DeliveryStatus.QUEUED,
    "scheduled": DeliveryStatus.QUEUED,
    "queued": DeliveryStatus.QUEUED,
    "sending": DeliveryStatus.SENDING,
    "sent": DeliveryStatus.SENT,
    "delivered": DeliveryStatus.DELIVERED,
    "read": DeliveryStatus.DELIVERED,
    "undelivered": DeliveryStatus.UNDELIVERED,
    "failed": DeliveryStatus.FAILED,
    "canceled": DeliveryStatus.FAILED,
}
_INBOUND_STATUSES = frozenset({"receiving", "received"})


class TwilioForm:
    """The POST parameters of one webhook; ``getall`` serves ``RequestValidator``."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self._values: dict[str, list[str]] = {}
        for key, value in pairs:
            self._values.setdefault(key, []).append(value)

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __contains__(self, name: object) -> bool:
        return name in self._values

    def getall(self, name: str) -> list[str]:
        return self._values[name]

    def get(self, name: str, max_chars: int = MAX_FIELD_CHARS) -> str | None:
        """The single value of ``name``, ``None`` when absent; 400 when repeated or too long."""
        values = self._values.get(name)
        if values is None:
            return None
        if len(values) != 1:
            raise WebhookRejected(400, f"field {name} repeated")
        if len(values[0]) > max_chars:
            raise WebhookRejected(400, f"field {name} too long")
        return values[0]

    def require(self, name: str, max_chars: int = MAX_FIELD_CHARS) -> str:
        value = self.get(name, max_chars)
        if not value:
            raise WebhookRejected(400, f"field {name} missing")
        return value


def verified_form(request: WebhookRequest, validator: RequestValidator) -> TwilioForm:
    """The request's form parameters once its signature checks out."""
    signature = request.header(SIGNATURE_HEADER)
    if not signature or len(signature) > 256:
        raise WebhookRejected(403, "missing or invalid X-Twilio-Signature")
    if request.method.upper() != "POST":
        raise WebhookRejected(400, "Twilio webhooks are POST")
    form = _parse_form(request)
    try:
        valid = validator.validate(request.url, form, signature)
    except Exception:  # any failure to check is a failed check
        valid = False
    if not valid:
        raise WebhookRejected(403, "X-Twilio-Signature does not match")
    return form


def _parse_form(request: WebhookRequest) -> TwilioForm:
    content_type = (request.header("Content-Type") or _FORM_TYPE).split(";")[0].strip()
    if content_type.lower() != _FORM_TYPE:
        raise WebhookRejected(400, "expected a form-encoded body")
    if len(request.body) > MAX_BODY_BYTES:
        raise WebhookRejected(400, "body too large")
    try:
        text = request.body.decode("utf-8")
        pairs = parse_qsl(text, keep_blank_values=True, errors="strict", max_num_fields=MAX_FIELDS)
    except ValueError as exc:  # UnicodeDecodeError is a ValueError
        raise WebhookRejected(400, "malformed form body") from exc
    return TwilioForm(pairs)


def message_sid(form: TwilioForm) -> str:
    """``MessageSid``, checked against Twilio's SID shape."""
    sid = form.require("MessageSid", 64)
    if not _SID.fullmatch(sid):
        raise WebhookRejected(400, "malformed MessageSid")
    return sid


def is_status_callback(form: TwilioForm) -> bool:
    """Status callbacks carry ``MessageStatus``; inbound messages do not."""
    return "MessageStatus" in form


def parse_status(form: TwilioForm) -> list[Receipt]:
    """A status callback as a ``Receipt``; none for inbound-side statuses."""
    sid = message_sid(form)
    status = form.require("MessageStatus", 32).lower()
    if status in _INBOUND_STATUSES:
        return []
    if status not in _STATUSES:
        raise WebhookRejected(400, "unknown MessageStatus")
    error_code = form.get("ErrorCode", 16) or None
    if error_code is not None and not _ERROR_CODE.fullmatch(error_code):
        raise WebhookRejected(400, "malformed ErrorCode")
    reason = reason_for(int(error_code)) if error_code else None
    return [Receipt(provider_message_id=sid, status=_STATUSES[status], error_code=error_code, reason=reason)]
