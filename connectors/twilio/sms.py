"""SMS through Twilio, for numbers outside Indonesia (Twilio has no two-way SMS
there; Indonesian SMS goes through Kannel).

Webhooks: inbound ``POST /webhooks/twilio/sms``, status callbacks
``POST /webhooks/twilio/status``. Addresses are ``tel:+E164``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import httpx

from connectors.base import OptKeyword, WebhookRequest, WebhookResponse
from connectors.messages import (
    Inbound,
    Media,
    Outbound,
    Receipt,
    SendOutcome,
    SendResult,
)
from connectors.phone import tel_number
from connectors.sms import render_sms
from connectors.twilio.channel import DEFAULT_MAX_MEDIA, EMPTY_TWIML, TwilioChannel, utc_now
from connectors.twilio.keywords import twilio_answers, twilio_keyword
from connectors.twilio.media import DEFAULT_MAX_BYTES


class TwilioSmsConnector:
    """The ``twilio_sms`` channel: GSM-7 text within ``max_segments`` segments."""

    name: str = "twilio_sms"
    schemes: tuple[str, ...] = ("tel",)

    def opt_keyword(self, address: str, text: str) -> OptKeyword | None:
        return twilio_keyword(text)

    def provider_answers(self, address: str, text: str) -> bool:
        return twilio_answers(text)

    def __init__(
        self,
        *,
        account_sid: str,
        auth_token: str,
        from_number: str,
        status_callback_url: str | None = None,
        api_url: str | None = None,
        language: str = "id",
        max_segments: int = 2,
        max_media: int = DEFAULT_MAX_MEDIA,
        max_media_bytes: int = DEFAULT_MAX_BYTES,
        http: httpx.AsyncClient | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        if not from_number.strip():
            raise ValueError("a Twilio SMS connector needs a sender number")
        self._language = language
        self._max_segments = max_segments
        self._twilio = TwilioChannel(
            account_sid,
            auth_token,
            from_=from_number.strip(),  # E.164 or a short code, as Twilio knows it
            status_callback=status_callback_url,
            api_url=api_url,
            http=http,
            max_media=max_media,
            max_media_bytes=max_media_bytes,
            clock=clock,
        )

    def parse(self, request: WebhookRequest) -> list[Inbound | Receipt]:
        """An inbound SMS (``tel:+E164``) or a status callback; ``WebhookRejected`` else."""
        return self._twilio.parse(request, "tel")

    def acknowledge(self, items: list[Inbound | Receipt]) -> WebhookResponse:
        """An empty TwiML response: replies are sent through the REST API."""
        return EMPTY_TWIML

    async def send(self, outbound: Outbound) -> SendResult:
        """Send ``outbound`` rendered for SMS (short text, numbered choices, GSM-7)."""
        to = tel_number(outbound.address)
        if to is None:
            return SendResult(SendOutcome.UNREACHABLE, error="not a tel: address")
        body = render_sms(
            outbound, language=outbound.language or self._language, max_segments=self._max_segments
        )
        return await self._twilio.send(to, body=body)

    async def fetch_media(self, media: Media) -> bytes:
        """The bytes of an MMS attachment (see ``TwilioMediaFetcher.fetch``)."""
        return await self._twilio.fetch_media(media)

    async def aclose(self) -> None:
        await self._twilio.aclose()
