"""What both Twilio connectors hold: one HTTP pool, the REST client, the
signature validator and the media fetcher, plus the parts of ``parse``,
``acknowledge`` and ``send`` they share.

Status callbacks (``POST /webhooks/twilio/status``) carry ``MessageStatus`` and
are recognised by either connector's ``parse``, so the web app may route that
path to whichever Twilio connector is configured.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

import httpx
from twilio.request_validator import RequestValidator

from connectors.base import WebhookRejected, WebhookRequest, WebhookResponse
from connectors.messages import Inbound, Media, Receipt, SendResult
from connectors.tls import ssl_context
from connectors.twilio.client import DEFAULT_TIMEOUT, TwilioMessages
from connectors.twilio.inbound import parse_inbound
from connectors.twilio.media import DEFAULT_MAX_BYTES, TwilioMediaFetcher
from connectors.twilio.webhook import is_status_callback, parse_status, verified_form

EMPTY_TWIML = WebhookResponse(
    status=200,
    body=b'<?xml version="1.0" encoding="UTF-8"?><Response/>',
    content_type="text/xml",
)
DEFAULT_MAX_MEDIA = 5
_logger = logging.getLogger(__name__)


def utc_now() -> datetime:
    return datetime.now(UTC)


class TwilioChannel:
    """The Twilio account a connector talks to; refuses to exist without its secret.

    ``from_`` is the sender as Twilio knows it (``+E164``, a short code or
    ``whatsapp:+E164``); ``status_callback`` is where Twilio posts receipts.
    """

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        *,
        from_: str,
        status_callback: str | None = None,
        api_url: str | None = None,
        http: httpx.AsyncClient | None = None,
        max_media: int = DEFAULT_MAX_MEDIA,
        max_media_bytes: int = DEFAULT_MAX_BYTES,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        if not account_sid or not auth_token:
            raise ValueError("a Twilio connector needs an account SID and an auth token")
        self.http = http or httpx.AsyncClient(timeout=DEFAULT_TIMEOUT, verify=ssl_context())
        self.validator = RequestValidator(auth_token)
        self.messages = TwilioMessages(account_sid, auth_token, http=self.http, api_url=api_url)
        self.media = TwilioMediaFetcher(
            self.http, (account_sid, auth_token), api_url=api_url, max_bytes=max_media_bytes
        )
        self.from_ = from_
        self.status_callback = status_callback
        self.max_media = max_media
        self.clock = clock

    def parse(self, request: WebhookRequest, scheme: str) -> list[Inbound | Receipt]:
        """Verify, then read an inbound message or a status callback."""
        form = verified_form(request, self.validator)
        try:
            if is_status_callback(form):
                return list(parse_status(form))
            return [parse_inbound(form, scheme, self.clock(), self.max_media)]
        except WebhookRejected:
            raise
        except Exception as exc:  # fail closed, never a 500 with a traceback
            _logger.error("unreadable Twilio webhook: %s", type(exc).__name__)
            raise WebhookRejected(400, "unreadable webhook") from exc

    async def send(
        self,
        to: str,
        *,
        body: str | None = None,
        content_sid: str | None = None,
        content_variables: str | None = None,
        media_urls: Sequence[str] = (),
    ) -> SendResult:
        """Create one message from this sender (see ``TwilioMessages.create``)."""
        return await self.messages.create(
            to=to,
            from_=self.from_,
            status_callback=self.status_callback,
            body=body,
            content_sid=content_sid,
            content_variables=content_variables,
            media_urls=media_urls,
        )

    async def fetch_media(self, media: Media) -> bytes:
        return await self.media.fetch(media)

    async def aclose(self) -> None:
        await self.http.aclose()
