"""A citizen files a whole complaint on WhatsApp: a shared location, a photo,
numbered choices."""

from __future__ import annotations

import io

from PIL import Image

from tests.support.fakes.twilio_api import SentMessage
from tests.support.phones import PUBLIC_URL, WHATSAPP_FROM, PhoneBot, PhoneCitizen

CITIZEN = "+6285712345678"


def photo_with_gps() -> bytes:
    """A JPEG as phones take them: camera make and the place it was taken in EXIF."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "S", 2: (6.0, 55.0, 12.0), 3: "E", 4: (107.0, 36.0, 0.0)})
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buffer, "JPEG", exif=exif)
    assert b"PhoneMaker" in buffer.getvalue()
    return buffer.getvalue()


def assert_from_us(messages: list[SentMessage]) -> None:
    assert messages
    for message in messages:
        assert (message.from_, message.to) == (f"whatsapp:{WHATSAPP_FROM}", f"whatsapp:{CITIZEN}")
        assert message.status_callback == f"{PUBLIC_URL}/webhooks/twilio/status"
        assert message.content_sid is None  # inside the 24-hour window: free-form


async def test_whole_complaint_with_location_and_photo(phone_bot: PhoneBot) -> None:
    citizen = PhoneCitizen(phone_bot, CITIZEN, whatsapp=True)
    photo = photo_with_gps()
    media_url = phone_bot.twilio.add_media(photo, "image/jpeg", redirect=True)
    location = {
        "Latitude": "-7.7495",
        "Longitude": "110.3838",
        "Address": "Jl. Kaliurang km 5, Sleman",
        "MessageType": "location",
    }
    image = {
        "NumMedia": "1",
        "MediaUrl0": media_url,
        "MediaContentType0": "image/jpeg",
        "MessageType": "image",
    }
    steps: list[tuple[str, dict[str, str], str]] = [
        ("halo", {}, "1. Setuju\n2. Tidak setuju\nBalas 1 atau 2."),
        ("1", {}, "Silakan ceritakan masalahnya"),
        ("Banyak sampah menumpuk di pinggir jalan dan berbau busuk", {}, "lokasi"),
        ("", location, "Kapan"),
        ("kemarin", {}, "foto"),
        ("Ini fotonya", image, "1. Publik\n2. Rahasia\n3. Anonim"),
        ("1", {}, "1. Kirim"),
        ("1", {}, "LPR-"),
    ]
    for text, extra, expected in steps:
        replies = await citizen.says(text, **extra)
        assert_from_us(replies)
        assert expected in "\n".join(m.body or "" for m in replies), (text, replies)

    [complaint] = await phone_bot.complaints()
    assert complaint.source_channel == "whatsapp"
    assert (complaint.latitude, complaint.longitude) == (-7.7495, 110.3838)
    assert complaint.location_text == "Jl. Kaliurang km 5, Sleman"
    assert complaint.regency_name == "Kabupaten Sleman"  # read from the shared point's address
    assert complaint.category == "environment"
    [attachment] = await phone_bot.attachments()
    assert attachment.complaint_id == complaint.id
    assert attachment.content_type == "image/jpeg"
    assert (attachment.width, attachment.height) == (64, 48)
    stored = Image.open(io.BytesIO(attachment.content))
    assert dict(stored.getexif()) == {}
    assert b"PhoneMaker" not in attachment.content
    # Fetched with the account's Basic auth, following Twilio's redirect to its CDN.
    [(media_path, authorized), (cdn_path, _)] = phone_bot.twilio.media_requests
    assert authorized and media_url.endswith(media_path) and cdn_path.startswith("/cdn/")
    reporter = await phone_bot.reporter(citizen.address)
    assert reporter is not None and reporter.display_name == "Budi Santoso"


async def test_a_photo_from_elsewhere_is_not_fetched(phone_bot: PhoneBot) -> None:
    citizen = PhoneCitizen(phone_bot, CITIZEN, whatsapp=True)
    for answer in ("halo", "1", "Banyak sampah menumpuk di pinggir jalan Kaliurang Sleman", "kemarin"):
        await citizen.says(answer)
    image = {
        "NumMedia": "1",
        "MediaUrl0": "http://127.0.0.1:9/2010-04-01/Accounts/AC/Messages/MM/Media/ME",
        "MediaContentType0": "image/jpeg",
    }
    replies = await citizen.says("", **image)
    assert replies and phone_bot.twilio.media_requests == []
    assert await phone_bot.attachments() == []
