"""Whatever reaches the Twilio SMS webhook, ``parse`` answers or raises a 4xx."""

from __future__ import annotations

from urllib.parse import parse_qsl

from hypothesis import given
from hypothesis import strategies as st

from connectors.base import WebhookRequest
from connectors.twilio.sms import TwilioSmsConnector
from tests.fakes.twilio_api import FakeTwilioApi, recorded_form
from tests.fuzz import fuzz_settings, mangled, parsed_or_4xx
from tests.sms.conftest import SMS_FROM, SMS_URL

TWILIO = FakeTwilioApi()  # never started: only signs
CONNECTOR = TwilioSmsConnector(
    account_sid=TWILIO.account_sid, auth_token=TWILIO.auth_token, from_number=SMS_FROM
)
FIELDS = [
    "MessageSid",
    "From",
    "To",
    "Body",
    "NumMedia",
    "MediaUrl0",
    "MediaContentType0",
    "MessageStatus",
    "ErrorCode",
    "Latitude",
    "Longitude",
    "ProfileName",
    "ButtonPayload",
]
VALUES = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "0", "1", "11", "-1", "nan", "inf", "+6281234567890", "whatsapp:+1"]),
    st.sampled_from(["SM" + "a" * 32, "received", "delivered", "https://api.twilio.com/x"]),
    st.integers(min_value=1_000, max_value=70_000).map(lambda n: "x" * n),
)
FUZZ = fuzz_settings(max_examples=150)


def _parse(request: WebhookRequest) -> None:
    assert all(item is not None for item in parsed_or_4xx(CONNECTOR, request))


@FUZZ
@given(
    changes=st.dictionaries(st.one_of(st.sampled_from(FIELDS), st.text(max_size=12)), VALUES),
    removed=st.sets(st.sampled_from(FIELDS)),
    base=st.sampled_from(["inbound_sms", "status_sent", "status_failed_opted_out"]),
)
def test_signed_but_malformed_forms_are_4xx(changes: dict[str, str], removed: set[str], base: str) -> None:
    _parse(TWILIO.webhook(SMS_URL, mangled(recorded_form(base), removed, changes)))


@FUZZ
@given(body=st.binary(max_size=2_000), signed=st.booleans(), method=st.sampled_from(["POST", "GET"]))
def test_arbitrary_bodies_are_4xx(body: bytes, signed: bool, method: str) -> None:
    signature = "bogus"
    if signed:
        try:
            params = dict(parse_qsl(body.decode(), keep_blank_values=True))
            signature = TWILIO.signature(SMS_URL, params)
        except ValueError:
            pass
    headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature}
    _parse(WebhookRequest(method, SMS_URL, headers, body))


@FUZZ
@given(headers=st.dictionaries(st.text(max_size=30), st.text(max_size=300), max_size=5))
def test_arbitrary_headers_are_4xx(headers: dict[str, str]) -> None:
    body = b"MessageSid=SM" + b"a" * 32 + b"&From=%2B85251234567&Body=hi"
    _parse(WebhookRequest("POST", SMS_URL, headers, body))
