"""Make a citizen's photo or document safe to store and show.

The provider's claimed content type is never trusted: the type comes from the
magic bytes, and Pillow may only decode that format. Images are turned upright
by their EXIF orientation, then re-encoded, which drops EXIF (and its GPS
position) and any payload appended to the file; a pixel bound, checked from
the header before any pixel is decoded, stops decompression bombs.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"%PDF-", "application/pdf"),
)
# The one decoder Pillow may use for a sniffed type: a file cannot pose as another format.
_DECODERS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/gif": "GIF", "image/webp": "WEBP"}
_IMAGE_FORMATS = {
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/gif": "PNG",
    "image/webp": "JPEG",
}


class MediaRejected(ValueError):
    """The file is not an accepted type, too large, or not what it claims."""


@dataclass(frozen=True, slots=True)
class SafeMedia:
    content: bytes
    content_type: str
    sha256: str
    size: int
    width: int | None = None
    height: int | None = None


def sniff(content: bytes) -> str | None:
    """The content type from magic bytes, or ``None`` if not an accepted type."""
    for magic, content_type in _SIGNATURES:
        if content.startswith(magic):
            return content_type
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    return None


def sanitize_media(
    content: bytes,
    *,
    claimed_type: str | None = None,
    max_bytes: int = MAX_BYTES,
    max_pixels: int = MAX_PIXELS,
) -> SafeMedia:
    """Check and clean one file; raise ``MediaRejected`` with a reason."""
    if not content:
        raise MediaRejected("empty file")
    if len(content) > max_bytes:
        raise MediaRejected(f"file larger than {max_bytes} bytes")
    real_type = sniff(content)
    if real_type is None:
        raise MediaRejected("unsupported file type")
    if claimed_type and claimed_type.split("/")[0] not in {real_type.split("/")[0], "application"}:
        raise MediaRejected(f"content is {real_type}, not {claimed_type}")
    if real_type == "application/pdf":
        return SafeMedia(content, real_type, _digest(content), len(content))
    return _reencode(content, real_type, max_pixels)


def _reencode(content: bytes, real_type: str, max_pixels: int) -> SafeMedia:
    try:
        with Image.open(io.BytesIO(content), formats=[_DECODERS[real_type]]) as image:
            if image.width * image.height > max_pixels:
                raise MediaRejected("image has too many pixels")
            image.load()
            upright = ImageOps.exif_transpose(image)  # before _strip drops the orientation tag
            width, height = upright.size
            clean = _strip(upright, _IMAGE_FORMATS[real_type])
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as exc:
        raise MediaRejected("image cannot be read") from exc
    out_type = "image/jpeg" if _IMAGE_FORMATS[real_type] == "JPEG" else "image/png"
    return SafeMedia(clean, out_type, _digest(clean), len(clean), width, height)


def _strip(image: Image.Image, fmt: str) -> bytes:
    """Re-encode pixels only: no EXIF, no ICC text, no trailing bytes."""
    mode = "RGB" if fmt == "JPEG" else "RGBA"
    pixels = image.convert(mode)
    buffer = io.BytesIO()
    pixels.save(buffer, format=fmt, quality=85) if fmt == "JPEG" else pixels.save(buffer, fmt)
    return buffer.getvalue()


def _digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
