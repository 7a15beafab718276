"""The fake Twilio API and a Twilio WhatsApp connector pointed at it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from connectors.twilio.whatsapp import TwilioWhatsAppConnector
from tests.fakes import twilio_api as fake_twilio
from tests.fakes.twilio_api import FakeTwilioApi

PUBLIC_URL = "https://lapor.example.go.id"
WHATSAPP_URL = f"{PUBLIC_URL}/webhooks/twilio/whatsapp"
STATUS_URL = f"{PUBLIC_URL}/webhooks/twilio/status"
WHATSAPP_FROM = "+14155238886"
STATUS_TEMPLATE_SID = "HX" + "b2" * 16
NOW = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)


twilio_server = fake_twilio.twilio_server  # fixtures: the fake Twilio API
twilio_api = fake_twilio.twilio_api


def make_whatsapp(api: FakeTwilioApi, **overrides: object) -> TwilioWhatsAppConnector:
    settings: dict[str, object] = {
        "account_sid": api.account_sid,
        "auth_token": api.auth_token,
        "from_number": WHATSAPP_FROM,
        "status_callback_url": STATUS_URL,
        "templates": {"status_update": STATUS_TEMPLATE_SID},
        "api_url": api.base_url,
        "clock": lambda: NOW,
    }
    return TwilioWhatsAppConnector(**(settings | overrides))  # type: ignore[arg-type]


@pytest.fixture
async def whatsapp(twilio_api: FakeTwilioApi) -> AsyncIterator[TwilioWhatsAppConnector]:
    connector = make_whatsapp(twilio_api)
    yield connector
    await connector.aclose()
