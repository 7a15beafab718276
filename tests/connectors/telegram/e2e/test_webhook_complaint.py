"""A whole complaint over the Telegram webhook: buttons, a shared location, a photo."""

from __future__ import annotations

import hashlib
import io
from datetime import date

from PIL import ExifTags, Image

from storage.models import Attachment, InboundSeen, StatusEvent
from tests.connectors.telegram.e2e.conftest import TelegramBot, each_state_store
from tests.support.records import attachments, complaints, count, reporter
from tests.support.telegram_citizen import Citizen

CHAT = 555000111
REPORT = "Lampu PJU di jalan depan rumah saya mati sudah dua minggu, gelap sekali kalau malam"


def text(bot: TelegramBot, key: str) -> str:
    return bot.runtime.texts.render(key, "id")


@each_state_store
async def test_a_whole_complaint_is_stored_and_every_reply_sent_in_order(bot: TelegramBot) -> None:
    budi = Citizen(bot, CHAT)

    (consent,) = await budi.says(REPORT)
    assert consent.text == text(bot, "consent")
    assert consent.buttons == {"Setuju": "agree", "Tidak setuju": "disagree"}

    (where,) = await budi.press("Setuju")  # the report held during consent is replayed
    assert where.text == text(bot, "ask_location")
    (button,) = where.reply_buttons  # a reply keyboard offering to share the location
    assert button["request_location"] is True

    # A point alone names no kabupaten/kota: it is kept, and the regency asked.
    (regency,) = await budi.shares_location(-6.914744, 107.609810)
    assert regency.text == text(bot, "ask_regency_for_point")
    (photo,) = await budi.says("Kota Bandung")  # "sudah dua minggu" was the date
    assert photo.text == text(bot, "ask_photo")
    assert photo.buttons == {"Lewati": "lewati"}
    (identity,) = await budi.press("Lewati")
    assert identity.text == text(bot, "ask_identity")
    (phone,) = await budi.press("Rahasia")
    assert phone.text == text(bot, "ask_phone")
    share = phone.reply_buttons[0]  # a reply keyboard offering to share the number
    assert share["request_contact"] is True
    (not_own,) = await budi.shares_contact("628999000111", own=False)
    assert not_own.text == text(bot, "phone_not_own")
    (summary,) = await budi.shares_contact("6281234567890")
    assert REPORT in summary.text
    assert "+6281234567890" in summary.text
    assert list(summary.buttons) == ["Kirim", "Ubah", "Batal"]
    (submitted,) = await budi.press("Kirim")

    (complaint,) = await complaints(bot)
    assert complaint.ticket in submitted.text
    assert submitted.markup == {"remove_keyboard": True}
    assert (complaint.kind, complaint.category, complaint.status) == (
        "complaint",
        "infrastructure",
        "received",
    )
    assert complaint.description == REPORT
    assert (complaint.latitude, complaint.longitude) == (-6.914744, 107.609810)
    assert complaint.regency_name == "Kota Bandung"
    assert complaint.incident_date == date(2026, 11, 16)  # "sudah dua minggu", the clock being 30 November
    assert complaint.confidential and not complaint.anonymous
    owner = await reporter(bot, f"telegram:{CHAT}")
    assert owner is not None and owner.phone == "+6281234567890"
    assert complaint.source_channel == "telegram"
    citizen = await reporter(bot, f"telegram:{CHAT}")
    assert citizen is not None and citizen.id == complaint.reporter_id
    assert citizen.display_name == "Budi" and citizen.consented_at is not None
    assert await count(bot, StatusEvent) == 1
    assert await count(bot, InboundSeen) == 9  # one per update

    sent = budi.sent()
    assert [m.text for m in sent] == [
        consent.text,
        where.text,
        regency.text,
        photo.text,
        identity.text,
        phone.text,
        not_own.text,
        summary.text,
        submitted.text,
    ]
    # Plain text only: what the citizen wrote is never read as HTML or Markdown.
    assert all("parse_mode" not in call.params for call in bot.api.calls_to("sendMessage"))
    # Every button press was answered (the spinner stops), each once.
    answered = [c.params["callback_query_id"] for c in bot.api.calls_to("answerCallbackQuery")]
    assert answered == budi.callbacks and len(answered) == 4
    # Paced at one message a second to this chat (on virtual time: the test did not wait).
    assert bot.pacing.sleeps == [1.0] * (len(sent) - 1)


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "S"
    gps[ExifTags.GPS.GPSLatitude] = (6.0, 54.0, 53.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (107.0, 36.0, 35.0)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


async def test_a_photo_is_downloaded_stripped_of_exif_stored_and_counted(bot: TelegramBot) -> None:
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test's premise
    file_id = bot.api.add_file(original, path="photos/file_7.jpg")
    budi = Citizen(bot, CHAT)
    await budi.says("Jalan rusak berlubang besar di depan Pasar Kosambi Kota Bandung sejak kemarin")
    (ask_photo,) = await budi.press("Setuju")
    assert ask_photo.text == text(bot, "ask_photo")

    received, identity = await budi.sends_photo(file_id, len(original), caption="ini lubangnya")

    assert received.text == bot.runtime.texts.render("photo_received", "id", {"count": 1})
    assert identity.text == text(bot, "ask_identity")
    (get_file,) = bot.api.calls_to("getFile")
    assert get_file.params["file_id"] == file_id
    (stored,) = await attachments(bot)
    assert stored.content_type == "image/jpeg"
    assert (stored.width, stored.height) == (64, 48)
    assert stored.size == len(stored.content)
    assert stored.sha256 == hashlib.sha256(stored.content).hexdigest()
    assert stored.content != original
    clean = Image.open(io.BytesIO(stored.content))
    assert not clean.getexif() and b"Exif" not in stored.content

    await budi.press("Publik")
    (summary,) = await budi.says("Lewati")
    assert "Foto: 1" in summary.text
    await budi.press("Kirim")
    (complaint,) = await complaints(bot)
    (linked,) = await attachments(bot)
    assert linked.complaint_id == complaint.id


async def test_a_file_that_is_not_an_image_is_refused_politely(bot: TelegramBot) -> None:
    fake_pdf = b"MZ\x90\x00 this is a Windows program, not a photo"
    file_id = bot.api.add_file(fake_pdf, path="documents/file_8.pdf")
    budi = Citizen(bot, CHAT)
    await budi.says("Jalan rusak berlubang besar di depan Pasar Kosambi Kota Bandung sejak kemarin")
    await budi.press("Setuju")
    document = {"file_id": file_id, "file_unique_id": "AgADfake8", "file_size": len(fake_pdf)}
    document |= {"file_name": "bukti.pdf", "mime_type": "application/pdf"}

    (refused,) = await budi.send(budi.update({"document": document}))

    assert refused.text == text(bot, "photo_rejected")
    assert await count(bot, Attachment) == 0
