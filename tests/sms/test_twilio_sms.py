"""The ``twilio_sms`` connector over recorded webhooks and the fake Twilio API."""

from __future__ import annotations

import pytest

from connectors.base import Connector, WebhookRejected
from connectors.messages import (
    Choice,
    DeliveryStatus,
    FailureReason,
    Inbound,
    Outbound,
    Receipt,
    SendOutcome,
)
from connectors.sms import count_segments, is_gsm7
from connectors.twilio.sms import TwilioSmsConnector
from tests.fakes.twilio_api import FakeTwilioApi, recorded_form
from tests.sms.conftest import NOW, SMS_FROM, SMS_URL, STATUS_URL

CITIZEN = "tel:+85251234567"


@pytest.mark.parametrize(
    ("fixture", "url", "expected"),
    [
        (
            "inbound_sms",
            SMS_URL,
            Inbound(
                CITIZEN,
                "LAPOR jalan rusak di depan SDN 3 Cibiru",
                NOW,
                "SM3f2b7c9e1d4a6b8c0e2f4a6b8c0d1e2f",
            ),
        ),
        (
            "inbound_sms_unicode",
            SMS_URL,
            Inbound(
                "tel:+60123456789",
                "Terima kasih 🙏 “cepat” ditangani",  # kept exactly as written
                NOW,
                "SM9a8b7c6d5e4f30211f2e3d4c5b6a7980",
            ),
        ),
        (
            "status_sent",
            STATUS_URL,
            Receipt("SM5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b", DeliveryStatus.SENT),
        ),
        (
            "status_failed_opted_out",
            STATUS_URL,
            Receipt(
                "SM5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b", DeliveryStatus.FAILED, "21610", FailureReason.OPTED_OUT
            ),
        ),
    ],
)
def test_parse_recorded_webhooks(
    sms: TwilioSmsConnector,
    twilio_api: FakeTwilioApi,
    fixture: str,
    url: str,
    expected: Inbound | Receipt,
) -> None:
    request = twilio_api.webhook(url, recorded_form(fixture))
    assert sms.parse(request) == [expected]


def test_whatsapp_status_callbacks_parse_too(sms: TwilioSmsConnector, twilio_api: FakeTwilioApi) -> None:
    """``/webhooks/twilio/status`` serves both channels: either connector parses it."""
    request = twilio_api.webhook(STATUS_URL, recorded_form("status_whatsapp_read"))
    assert sms.parse(request) == [Receipt("SMfeedface0123456789abcdef01234567", DeliveryStatus.DELIVERED)]


def test_is_a_connector(sms: TwilioSmsConnector) -> None:
    assert isinstance(sms, Connector)
    assert (sms.name, sms.schemes) == ("twilio_sms", ("tel",))


def test_acknowledge_is_empty_twiml(sms: TwilioSmsConnector) -> None:
    response = sms.acknowledge([])
    assert (response.status, response.content_type) == (200, "text/xml")
    assert response.body == b'<?xml version="1.0" encoding="UTF-8"?><Response/>'


def test_missing_signature_is_403(sms: TwilioSmsConnector, twilio_api: FakeTwilioApi) -> None:
    request = twilio_api.webhook(SMS_URL, recorded_form("inbound_sms"), signature=None)
    with pytest.raises(WebhookRejected) as caught:
        sms.parse(request)
    assert caught.value.status == 403


@pytest.mark.parametrize(
    "forge",
    [
        "wrong token",
        "tampered body",
        "other url",
        "garbage",
    ],
)
def test_forged_signature_is_403(sms: TwilioSmsConnector, twilio_api: FakeTwilioApi, forge: str) -> None:
    form = recorded_form("inbound_sms")
    good = twilio_api.signature(SMS_URL, form)
    signature = {
        "wrong token": FakeTwilioApi(auth_token="another-account-token").signature(SMS_URL, form),
        "tampered body": good,
        "other url": twilio_api.signature("http://lapor.example.go.id/webhooks/twilio/sms", form),
        "garbage": "x" * 28,
    }[forge]
    if forge == "tampered body":
        form["Body"] = "STATUS LPR-0000"
    with pytest.raises(WebhookRejected) as caught:
        sms.parse(twilio_api.webhook(SMS_URL, form, signature=signature))
    assert caught.value.status == 403


def test_whatsapp_message_on_sms_webhook_is_400(sms: TwilioSmsConnector, twilio_api: FakeTwilioApi) -> None:
    with pytest.raises(WebhookRejected) as caught:
        sms.parse(twilio_api.webhook(SMS_URL, recorded_form("whatsapp_text")))
    assert caught.value.status == 400


def test_json_body_is_400(sms: TwilioSmsConnector, twilio_api: FakeTwilioApi) -> None:
    request = twilio_api.webhook(SMS_URL, recorded_form("inbound_sms"))
    request.headers["Content-Type"] = "application/json"
    with pytest.raises(WebhookRejected) as caught:
        sms.parse(request)
    assert caught.value.status == 400


def test_a_channel_without_its_secret_refuses_to_start() -> None:
    with pytest.raises(ValueError):
        TwilioSmsConnector(account_sid="AC1", auth_token="", from_number=SMS_FROM)


async def test_send_numbered_choices_in_gsm7(sms: TwilioSmsConnector, twilio_api: FakeTwilioApi) -> None:
    outbound = Outbound(
        CITIZEN,
        "Apakah laporan Anda bersifat rahasia? 🔒",
        choices=(Choice("Ya", "affirm"), Choice("Tidak", "deny")),
    )
    result = await sms.send(outbound)
    assert result.outcome is SendOutcome.SENT
    [sent] = twilio_api.messages
    assert result.provider_message_ids == (sent.sid,)
    assert (sent.to, sent.from_, sent.status_callback) == ("+85251234567", SMS_FROM, STATUS_URL)
    assert sent.body == "Apakah laporan Anda bersifat rahasia?\n1. Ya\n2. Tidak\nBalas 1 atau 2."
    assert sent.content_sid is None


async def test_send_uses_short_text_within_two_segments(
    sms: TwilioSmsConnector, twilio_api: FakeTwilioApi
) -> None:
    long_text = "Status laporan LPR-7K2M-9QX4: “ditindaklanjuti” oleh Dinas PU. " * 12
    await sms.send(Outbound(CITIZEN, long_text, short_text=long_text))
    body = twilio_api.messages[0].body or ""
    assert is_gsm7(body)
    assert count_segments(body).count == 2
    assert body.startswith('Status laporan LPR-7K2M-9QX4: "ditindaklanjuti"')


@pytest.mark.parametrize(
    ("status", "code", "outcome"),
    [
        (400, 21610, SendOutcome.OPTED_OUT),
        (400, 21211, SendOutcome.UNREACHABLE),
        (400, 21614, SendOutcome.UNREACHABLE),
        (429, 20429, SendOutcome.RATE_LIMITED),
        (500, None, SendOutcome.RETRY),
        (503, 20503, SendOutcome.RETRY),
        (400, 21617, SendOutcome.FAILED),
    ],
)
async def test_twilio_errors_map_to_outcomes(
    sms: TwilioSmsConnector,
    twilio_api: FakeTwilioApi,
    status: int,
    code: int | None,
    outcome: SendOutcome,
) -> None:
    twilio_api.fail_next(status, code)
    result = await sms.send(Outbound(CITIZEN, "Halo"))
    assert result.outcome is outcome
    assert result.provider_message_ids == ()
    assert "+852" not in (result.error or "")  # Twilio quotes numbers; we do not


async def test_unsubscribed_recipient_is_opted_out(
    sms: TwilioSmsConnector, twilio_api: FakeTwilioApi
) -> None:
    twilio_api.fail_for("+85251234567", 400, 21610)
    assert (await sms.send(Outbound(CITIZEN, "Halo"))).outcome is SendOutcome.OPTED_OUT
    other = await sms.send(Outbound("tel:+60123456789", "Halo"))
    assert other.outcome is SendOutcome.SENT


async def test_wrong_credentials_fail(twilio_api: FakeTwilioApi) -> None:
    connector = TwilioSmsConnector(
        account_sid=twilio_api.account_sid,
        auth_token="not-the-token",
        from_number=SMS_FROM,
        api_url=twilio_api.base_url,
    )
    try:
        result = await connector.send(Outbound(CITIZEN, "Halo"))
    finally:
        await connector.aclose()
    assert result.outcome is SendOutcome.FAILED
    assert twilio_api.messages == []


async def test_unreachable_twilio_is_retried(twilio_server: FakeTwilioApi) -> None:
    with FakeTwilioApi() as stopped:
        api_url = stopped.base_url
    connector = TwilioSmsConnector(
        account_sid="AC" + "0" * 32, auth_token="token", from_number=SMS_FROM, api_url=api_url
    )
    try:
        result = await connector.send(Outbound(CITIZEN, "Halo"))
    finally:
        await connector.aclose()
    assert result.outcome is SendOutcome.RETRY


async def test_non_tel_address_is_unreachable(sms: TwilioSmsConnector, twilio_api: FakeTwilioApi) -> None:
    result = await sms.send(Outbound("whatsapp:+6281234567890", "Halo"))
    assert result.outcome is SendOutcome.UNREACHABLE
    assert twilio_api.messages == []
