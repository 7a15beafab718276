"""``fetch_media``: Basic auth, Twilio's hosts only, bounded type and size."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from connectors.media import MediaRejected, sanitize_media
from connectors.messages import Media
from connectors.twilio.media import MediaUnavailable
from connectors.twilio.whatsapp import TwilioWhatsAppConnector
from tests.fakes.twilio_api import ACCOUNT_SID, FakeTwilioApi
from tests.whatsapp.conftest import make_whatsapp

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 2048


async def test_fetch_with_basic_auth(whatsapp: TwilioWhatsAppConnector, twilio_api: FakeTwilioApi) -> None:
    url = twilio_api.add_media(JPEG, "image/jpeg")
    assert await whatsapp.fetch_media(Media("image/jpeg", url=url)) == JPEG
    assert [authorized for _, authorized in twilio_api.media_requests] == [True]


async def test_fetch_follows_the_redirect_to_the_cdn(
    whatsapp: TwilioWhatsAppConnector, twilio_api: FakeTwilioApi
) -> None:
    url = twilio_api.add_media(JPEG, "image/jpeg", redirect=True)
    assert await whatsapp.fetch_media(Media("image/jpeg", url=url)) == JPEG
    assert [path.split("/")[1] for path, _ in twilio_api.media_requests] == ["2010-04-01", "cdn"]


async def test_fetched_photo_goes_through_sanitize_media(
    whatsapp: TwilioWhatsAppConnector, twilio_api: FakeTwilioApi
) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    url = twilio_api.add_media(buffer.getvalue(), "image/png")
    content = await whatsapp.fetch_media(Media("image/png", url=url))
    assert sanitize_media(content, claimed_type="image/png").content_type == "image/png"


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1",
        "http://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1",  # no TLS
        "https://api.twilio.com.evil.example/media",
        "https://user@api.twilio.com/media",
        "https://api.twilio.com:8443/media",
        "file:///etc/passwd",
        "not a url",
    ],
)
async def test_non_twilio_hosts_are_refused_before_any_request(
    whatsapp: TwilioWhatsAppConnector, twilio_api: FakeTwilioApi, url: str
) -> None:
    with pytest.raises(MediaRejected):
        await whatsapp.fetch_media(Media("image/jpeg", url=url))
    assert twilio_api.media_requests == []


async def test_a_redirect_off_twilio_is_refused(
    whatsapp: TwilioWhatsAppConnector, twilio_api: FakeTwilioApi
) -> None:
    url = twilio_api.add_media(JPEG, "image/jpeg", redirect="https://evil.example/steal")
    with pytest.raises(MediaRejected):
        await whatsapp.fetch_media(Media("image/jpeg", url=url))


async def test_oversized_media_is_refused(twilio_api: FakeTwilioApi) -> None:
    connector = make_whatsapp(twilio_api, max_media_bytes=1024)
    url = twilio_api.add_media(JPEG, "image/jpeg")
    try:
        with pytest.raises(MediaRejected, match="larger"):
            await connector.fetch_media(Media("image/jpeg", url=url))
    finally:
        await connector.aclose()


@pytest.mark.parametrize(
    ("claimed", "served"),
    [("audio/ogg", "audio/ogg"), ("image/jpeg", "text/html"), ("image/jpeg", "video/mp4")],
)
async def test_types_we_do_not_accept_are_refused(
    whatsapp: TwilioWhatsAppConnector, twilio_api: FakeTwilioApi, claimed: str, served: str
) -> None:
    url = twilio_api.add_media(JPEG, served)
    with pytest.raises(MediaRejected, match="not accepted"):
        await whatsapp.fetch_media(Media(claimed, url=url))


async def test_unknown_media_is_refused(whatsapp: TwilioWhatsAppConnector, twilio_api: FakeTwilioApi) -> None:
    url = twilio_api.add_media(JPEG, "image/jpeg")
    gone = url.rsplit("/", 1)[0] + "/ME" + "0" * 32
    with pytest.raises(MediaRejected, match="404"):
        await whatsapp.fetch_media(Media("image/jpeg", url=gone))


async def test_twilio_down_is_unavailable_not_rejected() -> None:
    with FakeTwilioApi() as stopped:
        url = stopped.add_media(JPEG, "image/jpeg")
    connector = make_whatsapp(stopped)
    try:
        with pytest.raises(MediaUnavailable):
            await connector.fetch_media(Media("image/jpeg", url=url))
    finally:
        await connector.aclose()
    assert ACCOUNT_SID in url
