"""Whatever reaches the Twilio WhatsApp webhook, ``parse`` answers or raises a 4xx."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from connectors.base import WebhookRequest
from connectors.messages import Inbound
from connectors.twilio.whatsapp import TwilioWhatsAppConnector
from tests.fakes.twilio_api import FakeTwilioApi, recorded_form
from tests.fuzz import fuzz_settings, mangled, parsed_or_4xx
from tests.whatsapp.conftest import WHATSAPP_FROM, WHATSAPP_URL

TWILIO = FakeTwilioApi()  # never started: only signs
CONNECTOR = TwilioWhatsAppConnector(
    account_sid=TWILIO.account_sid, auth_token=TWILIO.auth_token, from_number=WHATSAPP_FROM
)
FIELDS = [
    "MessageSid",
    "From",
    "Body",
    "NumMedia",
    "MediaUrl0",
    "MediaContentType0",
    "MediaUrl1",
    "MediaContentType1",
    "MessageType",
    "MessageStatus",
    "ErrorCode",
    "Latitude",
    "Longitude",
    "Address",
    "Label",
    "ProfileName",
    "ButtonPayload",
]
VALUES = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "0", "1", "2", "10", "-6.9", "107.6", "1e400", "nan", "-0"]),
    st.sampled_from(["whatsapp:+6281234567890", "whatsapp:ID.123", "image/jpeg", "audio/ogg"]),
    st.sampled_from(["https://api.twilio.com/2010-04-01/x/Media/ME1", "read", "failed"]),
    st.integers(min_value=1_000, max_value=70_000).map(lambda n: "y" * n),
)
FUZZ = fuzz_settings(max_examples=150)
BASES = [
    "whatsapp_text",
    "whatsapp_image",
    "whatsapp_location",
    "whatsapp_voice",
    "whatsapp_button",
    "status_whatsapp_read",
]


def _parse(request: WebhookRequest) -> None:
    for item in parsed_or_4xx(CONNECTOR, request):
        if isinstance(item, Inbound):
            assert item.address.startswith("whatsapp:")
            assert len(item.media) <= 5


@FUZZ
@given(
    changes=st.dictionaries(st.one_of(st.sampled_from(FIELDS), st.text(max_size=12)), VALUES),
    removed=st.sets(st.sampled_from(FIELDS)),
    base=st.sampled_from(BASES),
)
def test_signed_but_malformed_forms_are_4xx(changes: dict[str, str], removed: set[str], base: str) -> None:
    _parse(TWILIO.webhook(WHATSAPP_URL, mangled(recorded_form(base), removed, changes)))


@FUZZ
@given(body=st.binary(max_size=2_000), signature=st.text(max_size=300))
def test_unsigned_bodies_are_4xx(body: bytes, signature: str) -> None:
    headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature}
    _parse(WebhookRequest("POST", WHATSAPP_URL, headers, body))
