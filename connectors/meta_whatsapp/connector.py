"""The ``meta_whatsapp`` connector: WhatsApp through Meta's Cloud API.

Webhook ``/webhooks/meta/whatsapp``: ``GET`` is the subscription handshake,
``POST`` carries messages and statuses signed with the app secret. Sends go to
``POST {graph}/{version}/{phone_number_id}/messages`` with the bearer token.
WhatsApp accepts free-form text only within 24 hours of the citizen's last
message; the hub decides and sets ``Outbound.template``, and a send refused as
outside the window answers ``SendOutcome.OUTSIDE_WINDOW`` (resend as template).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx

from connectors.base import OptKeyword, WebhookRejected, WebhookRequest, WebhookResponse
from connectors.media import MAX_BYTES
from connectors.messages import Inbound, Media, Outbound, Receipt, SendOutcome, SendResult
from connectors.meta_whatsapp.addresses import SCHEME, recipient_of
from connectors.meta_whatsapp.graph import DEFAULT_TIMEOUT, GraphClient
from connectors.meta_whatsapp.handshake import answer_handshake
from connectors.meta_whatsapp.media import MediaFetcher
from connectors.meta_whatsapp.pacing import DEFAULT_RATE, DEFAULT_RECIPIENT_GAP, Pacer
from connectors.meta_whatsapp.parse import NotAPayload, parse_payload
from connectors.meta_whatsapp.render import ApprovedTemplate, Unsendable, render
from connectors.meta_whatsapp.signature import verify_signature
from connectors.sms import sms_keyword

DEFAULT_GRAPH_URL = "https://graph.facebook.com"
DEFAULT_API_VERSION = "v21.0"
CONVERSATION_WINDOW = timedelta(hours=24)
MAX_BODY_BYTES = 3 * 1024 * 1024  # Meta batches at most a few hundred items
_logger = logging.getLogger(__name__)


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class MetaLimits:
    """Pacing, size limits and timeouts; small values make tests fast."""

    rate: float = DEFAULT_RATE
    recipient_gap: float = DEFAULT_RECIPIENT_GAP
    max_media_bytes: int = MAX_BYTES
    timeout: float = DEFAULT_TIMEOUT
    media_timeout: float = 60.0


class MetaWhatsAppConnector:
    """The ``Connector`` for the Cloud API; also ``Handshake``, ``FetchesMedia``
    and ``ConversationWindow``."""

    name: str = "meta_whatsapp"
    schemes: tuple[str, ...] = (SCHEME,)
    window: timedelta = CONVERSATION_WINDOW

    def opt_keyword(self, address: str, text: str) -> OptKeyword | None:
        """STOP / BERHENTI / START: WhatsApp leaves keywords to us."""
        return sms_keyword(text)

    def provider_answers(self, address: str, text: str) -> bool:
        return False

    def __init__(
        self,
        *,
        token: str,
        app_secret: str,
        verify_token: str,
        phone_number_id: str,
        templates: Mapping[str, ApprovedTemplate] | None = None,
        graph_url: str = DEFAULT_GRAPH_URL,
        api_version: str = DEFAULT_API_VERSION,
        limits: MetaLimits | None = None,
        http: httpx.AsyncClient | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        """``templates`` maps our template key (``Outbound.template.name``) to the approved one."""
        if not (token and app_secret and verify_token and phone_number_id):
            raise ValueError("a Meta WhatsApp connector needs token, app secret, verify token, number id")
        if not phone_number_id.isascii() or not phone_number_id.isdigit():
            raise ValueError("the phone number id is the number's numeric Graph id")
        self._app_secret = app_secret
        self._verify_token = verify_token
        self._templates = dict(templates or {})
        self._limits = limits or MetaLimits()
        self._clock = clock
        self._graph = GraphClient(
            token=token,
            phone_number_id=phone_number_id,
            graph_url=graph_url,
            api_version=api_version,
            http=http or httpx.AsyncClient(timeout=self._limits.timeout),
        )
        self._media = MediaFetcher(
            self._graph, max_bytes=self._limits.max_media_bytes, timeout=self._limits.media_timeout
        )
        self._pacer = Pacer(self._limits.rate, self._limits.recipient_gap)

    # -- inbound ---------------------------------------------------------------

    def handshake(self, request: WebhookRequest) -> WebhookResponse:
        """Answer Meta's ``GET`` subscription check (see ``handshake.answer_handshake``)."""
        return answer_handshake(request, self._verify_token)

    def parse(self, request: WebhookRequest) -> list[Inbound | Receipt]:
        """Verify the signature over the raw body, then read messages and statuses."""
        if request.method.upper() != "POST":
            raise WebhookRejected(405, "webhooks are POSTed")
        verify_signature(request, self._app_secret)
        if len(request.body) > MAX_BODY_BYTES:
            raise WebhookRejected(413, "body too large")
        try:
            data = json.loads(request.body)
        except (ValueError, RecursionError) as exc:
            raise WebhookRejected(400, "body is not JSON") from exc
        try:
            return parse_payload(data, self._clock())
        except NotAPayload as exc:
            raise WebhookRejected(400, str(exc)) from exc
        except (RecursionError, ValueError, TypeError) as exc:  # fail closed, never a 500
            _logger.error("unreadable Meta webhook: %s", type(exc).__name__)
            raise WebhookRejected(400, "unreadable webhook") from exc

    def acknowledge(self, items: list[Inbound | Receipt]) -> WebhookResponse:
        """Meta needs a 200 quickly; anything else makes it deliver again."""
        return WebhookResponse(200, b"", "text/plain")

    async def fetch_media(self, media: Media) -> bytes:
        """Download a photo or document by its media id (see ``media.MediaFetcher``)."""
        return await self._media.fetch(media)

    # -- outbound --------------------------------------------------------------

    def has_template(self, name: str) -> bool:
        """Whether an approved template is configured for our key ``name``."""
        return name in self._templates

    async def send(self, outbound: Outbound) -> SendResult:
        """Send ``outbound`` as one or more messages; stop at the first refusal."""
        to = recipient_of(outbound.address)
        if to is None:
            return SendResult(SendOutcome.UNREACHABLE, error="not a whatsapp:+E164 address")
        try:
            messages = render(outbound, self._templates)
        except Unsendable as exc:
            return SendResult(SendOutcome.FAILED, error=str(exc))
        sent: list[str] = []
        for message in messages:
            await self._pacer.wait(to)
            result = await self._graph.send_message(to, message)
            if not result.ok:
                return self._failed(to, result, tuple(sent))
            sent.extend(result.provider_message_ids)
        return SendResult(SendOutcome.SENT, tuple(sent))

    def _failed(self, to: str, result: SendResult, sent: tuple[str, ...]) -> SendResult:
        """``result`` with the parts already sent, so that their receipts still match."""
        if result.retry_after is not None:
            self._pacer.penalize(to, result.retry_after)
        _logger.warning("meta whatsapp send %s: %s", result.outcome, result.error)
        return SendResult(result.outcome, sent, result.retry_after, result.error)

    async def aclose(self) -> None:
        await self._graph.http.aclose()
