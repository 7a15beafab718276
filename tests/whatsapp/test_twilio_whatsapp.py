"""The ``twilio_whatsapp`` connector: recorded webhooks, sends, templates."""

from __future__ import annotations

import json

import pytest

from connectors.base import Connector, WebhookRejected
from connectors.messages import (
    Choice,
    DeliveryStatus,
    FailureReason,
    Inbound,
    Location,
    Media,
    Outbound,
    Receipt,
    SendOutcome,
    Template,
)
from connectors.twilio.whatsapp import TwilioWhatsAppConnector
from tests.fakes.twilio_api import ACCOUNT_SID, FakeTwilioApi, recorded_form
from tests.whatsapp.conftest import (
    NOW,
    STATUS_TEMPLATE_SID,
    STATUS_URL,
    WHATSAPP_FROM,
    WHATSAPP_URL,
    make_whatsapp,
)

BUDI = "whatsapp:+6281234567890"
SITI = "whatsapp:+6285712345678"
IMAGE_URL = (
    f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}"
    "/Messages/MM0a1b2c3d4e5f60718293a4b5c6d7e8f9/Media/ME1f2e3d4c5b6a79808f7e6d5c4b3a2910"
)
OUT_SID = "SMfeedface0123456789abcdef01234567"


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        (
            "whatsapp_text",
            Inbound(
                BUDI,
                "Lampu jalan mati sudah 2 minggu di Jl. Merdeka, Kota Bandung",
                NOW,
                "SMb1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6",
                display_name="Budi Santoso",
            ),
        ),
        (
            "whatsapp_image",
            Inbound(
                SITI,
                "Ini fotonya, sampah menumpuk",
                NOW,
                "MM0a1b2c3d4e5f60718293a4b5c6d7e8f9",
                media=(
                    Media(
                        "image/jpeg",
                        url=IMAGE_URL,
                        provider_id="ME1f2e3d4c5b6a79808f7e6d5c4b3a2910",
                    ),
                ),
                display_name="Siti",
            ),
        ),
        (
            "whatsapp_location",
            Inbound(
                BUDI,
                "",
                NOW,
                "SMc0ffee00001111222233334444555566",
                location=Location(-6.9174639, 107.6191228, "Jl. Asia Afrika No.8, Braga, Kota Bandung"),
                display_name="Budi Santoso",
            ),
        ),
        (
            "whatsapp_voice",
            Inbound(
                BUDI,
                "",
                NOW,
                "MM9f8e7d6c5b4a39281706f5e4d3c2b1a0",
                display_name="Budi Santoso",
                unsupported="audio",
            ),
        ),
        (
            "whatsapp_button",  # a tapped template button: its payload is the text
            Inbound(SITI, "resolved_yes", NOW, "SMdeadbeef00000000000000000000abcd", display_name="Siti"),
        ),
        ("status_whatsapp_delivered", Receipt(OUT_SID, DeliveryStatus.DELIVERED)),
        ("status_whatsapp_read", Receipt(OUT_SID, DeliveryStatus.DELIVERED)),
        (
            "status_whatsapp_undelivered",
            Receipt(OUT_SID, DeliveryStatus.UNDELIVERED, "63016", FailureReason.OUTSIDE_WINDOW),
        ),
    ],
)
def test_parse_recorded_webhooks(
    whatsapp: TwilioWhatsAppConnector,
    twilio_api: FakeTwilioApi,
    fixture: str,
    expected: Inbound | Receipt,
) -> None:
    url = STATUS_URL if fixture.startswith("status") else WHATSAPP_URL
    assert whatsapp.parse(twilio_api.webhook(url, recorded_form(fixture))) == [expected]


def test_is_a_connector(whatsapp: TwilioWhatsAppConnector) -> None:
    assert isinstance(whatsapp, Connector)
    assert (whatsapp.name, whatsapp.schemes) == ("twilio_whatsapp", ("whatsapp",))


def test_missing_signature_is_403(whatsapp: TwilioWhatsAppConnector, twilio_api: FakeTwilioApi) -> None:
    request = twilio_api.webhook(WHATSAPP_URL, recorded_form("whatsapp_text"), signature=None)
    with pytest.raises(WebhookRejected) as caught:
        whatsapp.parse(request)
    assert caught.value.status == 403


def test_signature_over_the_sms_url_is_403(
    whatsapp: TwilioWhatsAppConnector, twilio_api: FakeTwilioApi
) -> None:
    form = recorded_form("whatsapp_text")
    signature = twilio_api.signature(WHATSAPP_URL.replace("whatsapp", "sms"), form)
    with pytest.raises(WebhookRejected) as caught:
        whatsapp.parse(twilio_api.webhook(WHATSAPP_URL, form, signature=signature))
    assert caught.value.status == 403


@pytest.mark.parametrize(
    "changes",
    [
        {"From": "+6281234567890"},  # an SMS sender on the WhatsApp webhook
        {"From": "whatsapp:bukan-nomor"},
        {"MessageSid": "SM123"},
        {"Latitude": "-6.9"},  # no longitude
        {"Latitude": "-96.0", "Longitude": "107.6"},
        {"Latitude": "nan", "Longitude": "107.6"},
        {"NumMedia": "11"},
        {"NumMedia": "1"},  # no MediaUrl0
        {"NumMedia": "1", "MediaUrl0": "javascript:alert(1)", "MediaContentType0": "image/png"},
        {"Body": "x" * 5000},
    ],
)
def test_malformed_fields_are_400(
    whatsapp: TwilioWhatsAppConnector, twilio_api: FakeTwilioApi, changes: dict[str, str]
) -> None:
    form = recorded_form("whatsapp_text") | changes
    with pytest.raises(WebhookRejected) as caught:
        whatsapp.parse(twilio_api.webhook(WHATSAPP_URL, form))
    assert caught.value.status == 400


def test_a_hidden_number_arrives_as_a_business_scoped_id(
    whatsapp: TwilioWhatsAppConnector, twilio_api: FakeTwilioApi
) -> None:
    form = recorded_form("whatsapp_text") | {"From": "whatsapp:ID.13491208655302741918"}
    [inbound] = whatsapp.parse(twilio_api.webhook(WHATSAPP_URL, form))
    assert isinstance(inbound, Inbound)
    assert inbound.address == "whatsapp:ID.13491208655302741918"


async def test_media_beyond_the_limit_is_dropped(twilio_api: FakeTwilioApi) -> None:
    form = recorded_form("whatsapp_image") | {"NumMedia": "3"}
    for index in (1, 2):
        form[f"MediaUrl{index}"] = f"{IMAGE_URL}{index}"
        form[f"MediaContentType{index}"] = "image/png"
    connector = make_whatsapp(twilio_api, max_media=2)
    [inbound] = connector.parse(twilio_api.webhook(WHATSAPP_URL, form))
    await connector.aclose()
    assert isinstance(inbound, Inbound)
    assert [m.content_type for m in inbound.media] == ["image/jpeg", "image/png"]


async def test_send_text_with_numbered_choices(
    whatsapp: TwilioWhatsAppConnector, twilio_api: FakeTwilioApi
) -> None:
    outbound = Outbound(
        BUDI,
        "Apakah laporan Anda bersifat rahasia? 🔒",
        choices=(Choice("Ya", "affirm"), Choice("Tidak", "deny")),
        short_text="Rahasia?",
    )
    result = await whatsapp.send(outbound)
    [sent] = twilio_api.messages
    assert result.outcome is SendOutcome.SENT
    assert result.provider_message_ids == (sent.sid,)
    assert (sent.to, sent.from_) == (BUDI, f"whatsapp:{WHATSAPP_FROM}")
    assert sent.status_callback == STATUS_URL
    # WhatsApp keeps emoji and the full text; short_text is for SMS only.
    assert sent.body == ("Apakah laporan Anda bersifat rahasia? 🔒\n\n1. Ya\n2. Tidak\nBalas 1 atau 2.")


async def test_template_is_sent_instead_of_text(
    whatsapp: TwilioWhatsAppConnector, twilio_api: FakeTwilioApi
) -> None:
    template = Template("status_update", {"1": "LPR-7K2M-9QX4", "2": "ditindaklanjuti"})
    outbound = Outbound(BUDI, "Status laporan Anda berubah.", template=template)
    result = await whatsapp.send(outbound)
    [sent] = twilio_api.messages
    assert result.outcome is SendOutcome.SENT
    assert sent.content_sid == STATUS_TEMPLATE_SID
    assert json.loads(sent.content_variables or "") == template.variables
    assert sent.body is None  # never free-form text outside the 24-hour window
    assert sent.status_callback == STATUS_URL


async def test_unknown_template_fails_without_sending(
    whatsapp: TwilioWhatsAppConnector, twilio_api: FakeTwilioApi
) -> None:
    outbound = Outbound(BUDI, "Halo", template=Template("tidak_ada"))
    result = await whatsapp.send(outbound)
    assert result.outcome is SendOutcome.FAILED
    assert twilio_api.messages == []


async def test_long_text_is_split_into_messages(
    whatsapp: TwilioWhatsAppConnector, twilio_api: FakeTwilioApi
) -> None:
    paragraph = "Tanggapan Dinas PU: perbaikan jalan dijadwalkan pekan depan. " * 20
    result = await whatsapp.send(Outbound(BUDI, f"{paragraph}\n{paragraph}"))
    assert result.outcome is SendOutcome.SENT
    assert len(twilio_api.messages) == 2
    assert result.provider_message_ids == tuple(m.sid for m in twilio_api.messages)
    assert all(len(m.body or "") <= 1600 for m in twilio_api.messages)


async def test_outbound_media_urls_are_passed(
    whatsapp: TwilioWhatsAppConnector, twilio_api: FakeTwilioApi
) -> None:
    media = Media("image/png", url="https://lapor.example.go.id/qr/LPR-7K2M.png")
    await whatsapp.send(Outbound(BUDI, "Kode QR laporan Anda", media=(media,)))
    assert twilio_api.messages[0].media_urls == [media.url]


async def test_outside_the_window_is_reported_as_such_with_its_code(
    whatsapp: TwilioWhatsAppConnector, twilio_api: FakeTwilioApi
) -> None:
    twilio_api.fail_next(400, 63016)
    result = await whatsapp.send(Outbound(BUDI, "Halo"))
    assert result.outcome is SendOutcome.OUTSIDE_WINDOW
    assert "63016" in (result.error or "")


@pytest.mark.parametrize(
    ("status", "code", "outcome"),
    [
        (400, 21610, SendOutcome.OPTED_OUT),
        (400, 63003, SendOutcome.UNREACHABLE),
        (429, 20429, SendOutcome.RATE_LIMITED),
        (502, None, SendOutcome.RETRY),
    ],
)
async def test_errors_map_to_outcomes(
    whatsapp: TwilioWhatsAppConnector,
    twilio_api: FakeTwilioApi,
    status: int,
    code: int | None,
    outcome: SendOutcome,
) -> None:
    twilio_api.fail_next(status, code)
    assert (await whatsapp.send(Outbound(BUDI, "Halo"))).outcome is outcome


async def test_non_whatsapp_address_is_unreachable(
    whatsapp: TwilioWhatsAppConnector, twilio_api: FakeTwilioApi
) -> None:
    result = await whatsapp.send(Outbound("tel:+6281234567890", "Halo"))
    assert result.outcome is SendOutcome.UNREACHABLE
    assert twilio_api.messages == []


async def test_from_number_may_carry_the_prefix(twilio_api: FakeTwilioApi) -> None:
    connector = make_whatsapp(twilio_api, from_number=f"whatsapp:{WHATSAPP_FROM}")
    await connector.send(Outbound(BUDI, "Halo"))
    await connector.aclose()
    assert twilio_api.messages[0].from_ == f"whatsapp:{WHATSAPP_FROM}"
