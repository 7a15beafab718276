"""Indonesian SMS (e.g. LAPOR!'s shortcode 1708) through an operator's SMSC
behind the open-source gateway Kannel.

Inbound: Kannel's ``sms-service`` calls ``get-url`` (GET, or POST) at
``/webhooks/kannel?sender=%p&receiver=%P&text=%b&id=%I&coding=%c&charset=%C&secret=<secret>``;
the secret is compared in constant time. ``%b`` is the text exactly as sent
(``%a`` also works but squeezes spaces); ``coding``/``charset`` say how to read
it (a UCS-2 SMS arrives as UTF-16BE bytes). The service must not turn our HTTP answer
into an SMS (``max-messages = 0``, ``omit-empty = true``): replies go out
through ``cgi-bin/sendsms``.

Outbound: a POST to ``sendsms`` with ``X-Kannel-*`` headers and the text as the
body, so that the password and the citizen's number never sit in a URL (URLs
end up in access logs). Each message gets our own id and a ``dlr-url`` back to
``/webhooks/kannel/dlr?id=...&sig=...&status=%d``, where ``sig`` is an HMAC of
the id under the secret: the secret itself never travels in a delivery URL.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from urllib.parse import unquote_to_bytes, urlencode, urlsplit

import httpx

from connectors.base import OptKeyword, WebhookRejected, WebhookRequest, WebhookResponse
from connectors.messages import (
    DeliveryStatus,
    Inbound,
    Outbound,
    Receipt,
    SendOutcome,
    SendResult,
)
from connectors.phone import tel_number, to_e164
from connectors.sms import render_sms, sms_keyword
from connectors.tls import ssl_context

MAX_FIELDS = 20
MAX_FIELD_CHARS = 256
MAX_TEXT_BYTES = 8192
# Kannel's %C values and the codecs that read them ("8-BIT" is binary data).
_CHARSETS = {
    "utf-8": "utf-8",
    "utf-16be": "utf-16-be",
    "ucs-2": "utf-16-be",
    "iso-8859-1": "latin-1",
    "windows-1252": "cp1252",
    "8-bit": "latin-1",
}
DLR_MASK = 1 | 2 | 4 | 8 | 16  # delivered, failed, buffered, SMSC submit, SMSC reject
# Kannel's delivery report codes.
DLR_STATUSES = {
    1: DeliveryStatus.DELIVERED,
    2: DeliveryStatus.UNDELIVERED,
    4: DeliveryStatus.SENT,  # buffered at the SMSC, phone not reached yet
    8: DeliveryStatus.SENT,  # accepted by the SMSC
    16: DeliveryStatus.FAILED,  # rejected by the SMSC
}
_FAILED_DLR = frozenset({2, 16})
_ID = re.compile(r"[A-Za-z0-9-]{1,64}")
_logger = logging.getLogger(__name__)
_NO_CONTENT = WebhookResponse(status=200, body=b"", content_type="text/plain")


def _utc_now() -> datetime:
    return datetime.now(UTC)


class KannelConnector:
    """The ``kannel`` channel: ``tel:+62...`` addresses, GSM-7 text."""

    name: str = "kannel"
    schemes: tuple[str, ...] = ("tel",)
    # Kannel reaches Indonesian subscribers through the operator's SMSC.
    preferred_prefixes: tuple[str, ...] = ("+62",)

    def opt_keyword(self, address: str, text: str) -> OptKeyword | None:
        """STOP / BERHENTI / START: the SMSC leaves keywords to us."""
        return sms_keyword(text)

    def provider_answers(self, address: str, text: str) -> bool:
        return False

    def __init__(
        self,
        *,
        sendsms_url: str,
        username: str,
        password: str,
        from_: str,
        secret: str,
        dlr_url: str,
        language: str = "id",
        max_segments: int = 2,
        http: httpx.AsyncClient | None = None,
        clock: Callable[[], datetime] = _utc_now,
        timeout: float = 15.0,
    ) -> None:
        """``dlr_url`` is our public ``/webhooks/kannel/dlr`` URL as Kannel reaches it."""
        if len(secret) < 16:
            raise ValueError("the Kannel secret must have at least 16 characters")
        if not (sendsms_url and username and password and from_ and dlr_url):
            raise ValueError("the Kannel connector needs sendsms_url, credentials, from_ and dlr_url")
        self._sendsms_url = sendsms_url
        self._credentials = (username, password)
        self._from = from_
        self._secret = secret.encode()
        self._dlr_url = dlr_url
        self._language = language
        self._max_segments = max_segments
        self._http = http or httpx.AsyncClient(timeout=timeout, verify=ssl_context())
        self._clock = clock

    def parse(self, request: WebhookRequest) -> list[Inbound | Receipt]:
        """An inbound SMS, or a delivery report (it has ``status`` and no ``sender``)."""
        try:
            return self._parse(request)
        except WebhookRejected:
            raise
        except Exception as exc:  # fail closed, never a 500 with a traceback
            _logger.error("unreadable Kannel request: %s", type(exc).__name__)
            raise WebhookRejected(400, "unreadable request") from exc

    def _parse(self, request: WebhookRequest) -> list[Inbound | Receipt]:
        params = _params(request)
        if "status" in params and "sender" not in params:
            return [self._receipt(params)]
        self._check_secret(params.get("secret", ""))
        if request.method.upper() not in {"GET", "POST"}:
            raise WebhookRejected(400, "Kannel calls with GET or POST")
        return [self._inbound(params)]

    def _check_secret(self, given: str) -> None:
        if not hmac.compare_digest(given.encode(), self._secret):
            raise WebhookRejected(403, "wrong or missing secret")

    def _inbound(self, params: Mapping[str, str]) -> Inbound:
        try:
            sender = to_e164(_required(params, "sender"))
        except ValueError as exc:
            raise WebhookRejected(400, "sender is not a phone number") from exc
        external_id = _required(params, "id")
        if not _ID.fullmatch(external_id):
            raise WebhookRejected(400, "malformed id")
        text = params.get("text", "")
        return Inbound(
            f"tel:{sender}",
            text,
            self._clock(),
            external_id,
            unsupported=None if text.strip() else "empty",
        )

    def _receipt(self, params: Mapping[str, str]) -> Receipt:
        message_id = _required(params, "id")
        if not hmac.compare_digest(params.get("sig", "").encode(), self._sign(message_id).encode()):
            raise WebhookRejected(403, "wrong or missing signature")
        code_text = _required(params, "status")
        code = int(code_text) if code_text.isascii() and code_text.isdigit() else -1
        if code not in DLR_STATUSES:
            raise WebhookRejected(400, "unknown delivery status")
        error = str(code) if code in _FAILED_DLR else None
        return Receipt(message_id, DLR_STATUSES[code], error_code=error)

    def _sign(self, message_id: str) -> str:
        return hmac.new(self._secret, f"dlr:{message_id}".encode(), hashlib.sha256).hexdigest()

    def acknowledge(self, items: list[Inbound | Receipt]) -> WebhookResponse:
        """An empty 200: Kannel must not turn our answer into an SMS."""
        return _NO_CONTENT

    async def send(self, outbound: Outbound) -> SendResult:
        """Render for SMS and hand the message to Kannel's ``sendsms``."""
        to = tel_number(outbound.address)
        if to is None:
            return SendResult(SendOutcome.UNREACHABLE, error="not a tel: address")
        text = render_sms(
            outbound, language=outbound.language or self._language, max_segments=self._max_segments
        )
        message_id = uuid.uuid4().hex
        try:
            response = await self._http.post(
                self._sendsms_url,
                content=text.encode("utf-8"),
                headers=self._headers(to, message_id),
            )
        except httpx.TransportError as exc:
            return SendResult(SendOutcome.RETRY, error=f"kannel unreachable: {type(exc).__name__}")
        return _result(response.status_code, message_id)

    def _headers(self, to: str, message_id: str) -> dict[str, str]:
        username, password = self._credentials
        return {
            "Content-Type": "text/plain; charset=UTF-8",
            "X-Kannel-Username": username,
            "X-Kannel-Password": password,
            "X-Kannel-From": self._from,
            "X-Kannel-To": to,
            "X-Kannel-Coding": "0",  # GSM-7: render_sms only produces GSM-7 characters
            "X-Kannel-DLR-Mask": str(DLR_MASK),
            "X-Kannel-DLR-Url": self.dlr_url_for(message_id),
        }

    def dlr_url_for(self, message_id: str) -> str:
        """The delivery-report URL Kannel calls for ``message_id`` (``%d`` = status)."""
        separator = "&" if urlsplit(self._dlr_url).query else "?"
        query = urlencode({"id": message_id, "sig": self._sign(message_id)})
        return f"{self._dlr_url}{separator}{query}&status=%d"

    async def aclose(self) -> None:
        await self._http.aclose()


def _params(request: WebhookRequest) -> dict[str, str]:
    """The query parameters, decoded; 400 when too many, repeated, too long or garbled.

    They are read from the raw query of ``request.url``, not from a decoded
    ``request.query``: Kannel sends a UCS-2 message's text as raw UTF-16BE bytes
    (``charset=UTF-16BE``), which a UTF-8 query decoder would destroy.
    """
    raw = _raw_params(request)
    try:
        params = {key: value.decode("utf-8") for key, value in raw.items() if key != "text"}
    except UnicodeDecodeError as exc:
        raise WebhookRejected(400, "parameter is not UTF-8") from exc
    if "text" in raw:
        params["text"] = _decode_text(raw["text"], params)
    return params


def _raw_params(request: WebhookRequest) -> dict[str, bytes]:
    query = urlsplit(request.url).query
    if query:
        pairs = _split_query(query)
    else:
        pairs = [(key.encode(), value.encode()) for key, value in request.query.items()]
    if len(pairs) > MAX_FIELDS:
        raise WebhookRejected(400, "too many parameters")
    params: dict[str, bytes] = {}
    for raw_key, value in pairs:
        key = raw_key.decode("ascii", errors="replace")[:32]
        limit = MAX_TEXT_BYTES if key == "text" else MAX_FIELD_CHARS
        if key in params or len(value) > limit:
            raise WebhookRejected(400, f"parameter {key!r} repeated or too long")
        params[key] = value
    return params


def _split_query(query: str) -> list[tuple[bytes, bytes]]:
    """Query pairs as raw bytes (``urllib``'s parsers would decode them as UTF-8)."""
    parts = [part for part in query.split("&") if part]
    if len(parts) > MAX_FIELDS:
        raise WebhookRejected(400, "too many parameters")
    pairs = []
    for part in parts:
        key, _, value = part.partition("=")
        pairs.append((_unquote(key), _unquote(value)))
    return pairs


def _unquote(text: str) -> bytes:
    return unquote_to_bytes(text.replace("+", " "))


def _decode_text(raw: bytes, params: Mapping[str, str]) -> str:
    """The SMS text in the charset Kannel names (``%C``), UTF-16BE for ``coding=2``."""
    default = "UTF-16BE" if params.get("coding") == "2" else "UTF-8"
    charset = params.get("charset") or default
    codec = _CHARSETS.get(charset.lower())
    if codec is None:
        raise WebhookRejected(400, "unknown charset")
    # A citizen's words are kept even when a byte is off: never drop the message.
    return raw.decode(codec, errors="replace")


def _required(params: Mapping[str, str], name: str) -> str:
    value = params.get(name, "")
    if not value:
        raise WebhookRejected(400, f"parameter {name} missing")
    return value


def _result(status: int, message_id: str) -> SendResult:
    """Kannel answers 202 when it accepted (or queued) the message."""
    if 200 <= status < 300:
        return SendResult(SendOutcome.SENT, provider_message_ids=(message_id,))
    if status == 429 or status >= 500:
        return SendResult(SendOutcome.RETRY, error=f"kannel HTTP {status}")
    return SendResult(SendOutcome.FAILED, error=f"kannel HTTP {status}")
