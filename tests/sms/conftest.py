"""The fake Twilio API and a Twilio SMS connector pointed at it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from connectors.twilio.sms import TwilioSmsConnector
from tests.fakes import twilio_api as fake_twilio
from tests.fakes.twilio_api import FakeTwilioApi

PUBLIC_URL = "https://lapor.example.go.id"
SMS_URL = f"{PUBLIC_URL}/webhooks/twilio/sms"
STATUS_URL = f"{PUBLIC_URL}/webhooks/twilio/status"
SMS_FROM = "+14155550100"
NOW = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)


twilio_server = fake_twilio.twilio_server  # fixtures: the fake Twilio API
twilio_api = fake_twilio.twilio_api


@pytest.fixture
async def sms(twilio_api: FakeTwilioApi) -> AsyncIterator[TwilioSmsConnector]:
    connector = TwilioSmsConnector(
        account_sid=twilio_api.account_sid,
        auth_token=twilio_api.auth_token,
        from_number=SMS_FROM,
        status_callback_url=STATUS_URL,
        api_url=twilio_api.base_url,
        clock=lambda: NOW,
    )
    yield connector
    await connector.aclose()
