"""The shared image sanitiser: upright photos, bombs refused, formats by content, EXIF gone."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from PIL import Image

from bot.intake.media import MediaIntake
from connectors.media import MAX_PIXELS, MediaRejected, sanitize_media
from connectors.messages import Inbound, Media

ORIENTATION = 0x0112
ROTATE_90_CW = 6  # "the camera was turned: rotate 90° clockwise to show it upright"
GPS_IFD = 0x8825


def sideways_photo() -> bytes:
    """40 wide, 20 high as stored: red left half, blue right half; EXIF says turn it (and has GPS)."""
    image = Image.new("RGB", (40, 20), "red")
    image.paste(Image.new("RGB", (20, 20), "blue"), (20, 0))
    exif = Image.Exif()
    exif[ORIENTATION] = ROTATE_90_CW
    exif[0x010F] = "PhoneMaker"
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes(), quality=95)
    return buffer.getvalue()


def _colour(pixel: tuple[int, ...]) -> str:
    red, _, blue = pixel[:3]
    return "red" if red > blue else "blue"


def test_the_exif_orientation_is_applied_before_exif_is_dropped() -> None:
    safe = sanitize_media(sideways_photo(), claimed_type="image/jpeg")
    with Image.open(io.BytesIO(safe.content)) as image:
        assert image.size == (20, 40) == (safe.width, safe.height)  # upright: tall, not wide
        # Turned clockwise, the stored left (red) half is at the top.
        assert _colour(image.getpixel((10, 5))) == "red"  # type: ignore[arg-type]
        assert _colour(image.getpixel((10, 35))) == "blue"  # type: ignore[arg-type]
        assert ORIENTATION not in image.getexif() and len(image.getexif()) == 0


def test_a_decompression_bomb_is_refused_from_its_header() -> None:
    side = int(MAX_PIXELS**0.5) + 100
    buffer = io.BytesIO()
    Image.new("1", (side, side)).save(buffer, "PNG", optimize=True)  # a tiny file, 40+ megapixels
    assert len(buffer.getvalue()) < 1024 * 1024
    with pytest.raises(MediaRejected, match="too many pixels"):
        sanitize_media(buffer.getvalue())


def test_the_format_is_the_content_not_the_claim() -> None:
    png = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(png, "PNG")
    safe = sanitize_media(png.getvalue(), claimed_type="image/jpeg")  # the claim is ignored
    assert safe.content_type == "image/png"
    with pytest.raises(MediaRejected):
        sanitize_media(b"<svg xmlns='http://www.w3.org/2000/svg'/>", claimed_type="image/png")
    with pytest.raises(MediaRejected, match="not video"):
        sanitize_media(png.getvalue(), claimed_type="video/mp4")


def test_a_file_posing_as_another_format_is_refused() -> None:
    jpeg = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(jpeg, "JPEG")
    posing = b"RIFF\x00\x00\x00\x00WEBPVP8 " + jpeg.getvalue()  # WebP magic, JPEG inside
    with pytest.raises(MediaRejected, match="cannot be read"):
        sanitize_media(posing)


async def test_a_photo_taken_in_arrives_upright() -> None:
    media = Media(content_type="image/jpeg", content=sideways_photo())
    inbound = Inbound(address="rest:x", text="", received_at=datetime.now(UTC), media=[media])
    result = await MediaIntake({}).take(inbound)
    assert result.accepted_count == 1 and not result.rejected
    assert (result.accepted[0].width, result.accepted[0].height) == (20, 40)
