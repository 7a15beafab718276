"""WhatsApp through Twilio.

Webhooks: inbound ``POST /webhooks/twilio/whatsapp``, status callbacks
``POST /webhooks/twilio/status``. Addresses are ``whatsapp:+E164``.

WhatsApp accepts free-form text only within 24 hours of the citizen's last
message. The bot decides when the window is closed and sets
``Outbound.template``; this connector then sends that approved template
(``ContentSid`` + ``ContentVariables``) and never free-form text. Choices are a
numbered list (``connectors.sms.resolve_numbered_reply`` maps the reply back);
a tapped template button arrives with its ``ButtonPayload`` as the text.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta

import httpx

from connectors.base import OptKeyword, WebhookRequest, WebhookResponse
from connectors.messages import (
    Inbound,
    Media,
    Outbound,
    Receipt,
    SendOutcome,
    SendResult,
    Template,
)
from connectors.sms import render_choices, sms_keyword
from connectors.twilio.channel import DEFAULT_MAX_MEDIA, EMPTY_TWIML, TwilioChannel, utc_now
from connectors.twilio.inbound import channel_address
from connectors.twilio.media import DEFAULT_MAX_BYTES

MAX_BODY_CHARS = 1600  # Twilio's limit for one message body
WINDOW = timedelta(hours=24)  # free-form text only this long after the citizen's last message


class TwilioWhatsAppConnector:
    """The ``twilio_whatsapp`` channel."""

    name: str = "twilio_whatsapp"
    schemes: tuple[str, ...] = ("whatsapp",)
    window: timedelta = WINDOW

    def opt_keyword(self, address: str, text: str) -> OptKeyword | None:
        """STOP / BERHENTI / START: Twilio leaves WhatsApp's keywords to us."""
        return sms_keyword(text)

    def provider_answers(self, address: str, text: str) -> bool:
        return False

    def has_template(self, name: str) -> bool:
        return name in self._templates

    def __init__(
        self,
        *,
        account_sid: str,
        auth_token: str,
        from_number: str,
        status_callback_url: str | None = None,
        templates: Mapping[str, str] | None = None,
        api_url: str | None = None,
        language: str = "id",
        max_media: int = DEFAULT_MAX_MEDIA,
        max_media_bytes: int = DEFAULT_MAX_BYTES,
        http: httpx.AsyncClient | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        """``templates`` maps a template name (``Outbound.template.name``) to its ContentSid."""
        number = from_number.strip().removeprefix("whatsapp:")
        if not number:
            raise ValueError("a Twilio WhatsApp connector needs a sender number")
        self._templates = dict(templates or {})
        self._language = language
        self._twilio = TwilioChannel(
            account_sid,
            auth_token,
            from_=f"whatsapp:{number}",
            status_callback=status_callback_url,
            api_url=api_url,
            http=http,
            max_media=max_media,
            max_media_bytes=max_media_bytes,
            clock=clock,
        )

    def parse(self, request: WebhookRequest) -> list[Inbound | Receipt]:
        """An inbound WhatsApp message or a status callback; ``WebhookRejected`` else."""
        return self._twilio.parse(request, "whatsapp")

    def acknowledge(self, items: list[Inbound | Receipt]) -> WebhookResponse:
        """An empty TwiML response: replies are sent through the REST API."""
        return EMPTY_TWIML

    async def send(self, outbound: Outbound) -> SendResult:
        """Send the template when ``outbound.template`` is set, else the text."""
        to = whatsapp_of(outbound.address)
        if to is None:
            return SendResult(SendOutcome.UNREACHABLE, error="not a whatsapp: address")
        if outbound.template is not None:
            return await self._send_template(to, outbound.template)
        return await self._send_text(to, outbound)

    async def _send_template(self, to: str, template: Template) -> SendResult:
        content_sid = self._templates.get(template.name)
        if content_sid is None:
            return SendResult(SendOutcome.FAILED, error=f"no ContentSid configured for {template.name!r}")
        variables = json.dumps(template.variables, ensure_ascii=False) if template.variables else None
        return await self._twilio.send(to, content_sid=content_sid, content_variables=variables)

    async def _send_text(self, to: str, outbound: Outbound) -> SendResult:
        choices = render_choices(outbound.choices, outbound.language or self._language)
        text = "\n\n".join(part for part in (outbound.text.strip(), choices) if part)
        media_urls = [media.url for media in outbound.media if media.url]
        sent: list[str] = []
        for index, body in enumerate(split_text(text, MAX_BODY_CHARS)):
            result = await self._twilio.send(to, body=body, media_urls=media_urls if index == 0 else ())
            if not result.ok:
                # Parts already sent are reported so that receipts still match.
                return SendResult(
                    result.outcome,
                    (*sent, *result.provider_message_ids),
                    result.retry_after,
                    result.error,
                )
            sent.extend(result.provider_message_ids)
        return SendResult(SendOutcome.SENT, tuple(sent))

    async def fetch_media(self, media: Media) -> bytes:
        """The bytes of a photo or document (see ``TwilioMediaFetcher.fetch``)."""
        return await self._twilio.fetch_media(media)

    async def aclose(self) -> None:
        await self._twilio.aclose()


def whatsapp_of(address: str) -> str | None:
    """The Twilio ``To`` of a ``whatsapp:`` address, ``None`` when it is not one."""
    try:
        return channel_address(address, "whatsapp")
    except ValueError:
        return None


def split_text(text: str, limit: int) -> list[str]:
    """Split ``text`` into parts of at most ``limit`` characters, at line or word ends."""
    parts: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = rest.rfind("\n", 0, limit + 1)
        if cut <= 0:
            cut = rest.rfind(" ", 0, limit + 1)
        if cut <= 0:
            cut = limit
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    return [*parts, rest] if rest or not parts else parts
