"""Download a citizen's media from Twilio, and from nowhere else.

Media URLs arrive in webhooks, so each hop (Twilio answers with a redirect to a
short-lived CDN URL) must be one of Twilio's media hosts or the configured API
URL: a forged or mistaken URL never makes us fetch an arbitrary address. The
type and size are bounded before and while reading. The caller still runs
``connectors.media.sanitize_media`` on the bytes (magic bytes, EXIF).

Requires "Enforce HTTP Auth on Media URLs" in the Twilio console: without it
Twilio redirects to an S3 host, which is refused here.
"""

from __future__ import annotations

from collections.abc import Collection
from urllib.parse import urljoin, urlsplit

import httpx

from connectors.media import MediaRejected
from connectors.messages import Media

TWILIO_MEDIA_HOSTS = frozenset({"api.twilio.com", "media.twiliocdn.com", "mms.twiliocdn.com"})
ACCEPTED_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf"})
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 3
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


class MediaUnavailable(Exception):
    """Twilio could not be reached or answered with an error: try again later."""


class TwilioMediaFetcher:
    """Fetches media with Basic auth (account SID, auth token) from allowed hosts.

    Media of a webhook are ``Media`` items whose ``url`` came from Twilio.
    """

    def __init__(
        self,
        http: httpx.AsyncClient,
        auth: tuple[str, str],
        *,
        api_url: str | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
        accepted_types: Collection[str] = ACCEPTED_TYPES,
        timeout: float = 30.0,
    ) -> None:
        self._http = http
        self._auth = auth
        self._origins = {("https", host, 443) for host in TWILIO_MEDIA_HOSTS}
        if api_url:
            self._origins.add(_origin(api_url))
        self._max_bytes = max_bytes
        self._accepted = frozenset(accepted_types)
        self._timeout = timeout

    def allowed(self, url: str) -> bool:
        """True when ``url`` is on a Twilio media host (or the configured API URL)."""
        try:
            parts = urlsplit(url)
            return parts.username is None and _origin(url) in self._origins
        except ValueError:
            return False

    async def fetch(self, media: Media) -> bytes:
        """The media's bytes; ``MediaRejected`` for a refused host, type or size,
        ``MediaUnavailable`` when Twilio fails (retry later)."""
        if not media.url:
            raise MediaRejected("media has no URL")
        if _base_type(media.content_type) not in self._accepted:
            raise MediaRejected(f"media type {media.content_type!r} not accepted")
        url = first = media.url
        for _ in range(MAX_REDIRECTS + 1):
            if not self.allowed(url):
                raise MediaRejected("media URL is not on a Twilio host")
            # Credentials go to the host the webhook named, never across a
            # redirect: the CDN's signed URLs carry their own authorisation.
            same_origin = _origin(url) == _origin(first)
            location = await self._get(url, self._auth if same_origin else None)
            if isinstance(location, bytes):
                return location
            url = location
        raise MediaRejected("too many redirects")

    async def _get(self, url: str, auth: tuple[str, str] | None) -> bytes | str:
        """The body, or the redirect target."""
        try:
            async with self._http.stream(
                "GET", url, auth=auth, follow_redirects=False, timeout=self._timeout
            ) as response:
                if response.status_code in _REDIRECTS:
                    location: str = response.headers.get("location", "")
                    return urljoin(url, location)
                self._check_response(response)
                return await self._read(response)
        except httpx.TransportError as exc:
            raise MediaUnavailable(f"media fetch failed: {type(exc).__name__}") from exc

    def _check_response(self, response: httpx.Response) -> None:
        if response.status_code in {400, 401, 403, 404, 410}:
            raise MediaRejected(f"media not available (HTTP {response.status_code})")
        if response.status_code != 200:
            raise MediaUnavailable(f"media fetch failed (HTTP {response.status_code})")
        content_type = _base_type(response.headers.get("content-type", ""))
        if content_type not in self._accepted:
            raise MediaRejected(f"media type {content_type!r} not accepted")
        length = response.headers.get("content-length", "")
        if length.isdigit() and int(length) > self._max_bytes:
            raise MediaRejected(f"media larger than {self._max_bytes} bytes")

    async def _read(self, response: httpx.Response) -> bytes:
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > self._max_bytes:
                raise MediaRejected(f"media larger than {self._max_bytes} bytes")
            chunks.append(chunk)
        return b"".join(chunks)


def _origin(url: str) -> tuple[str, str, int]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or (443 if scheme == "https" else 80)
    return scheme, (parts.hostname or "").lower(), port


def _base_type(content_type: str) -> str:
    return content_type.split(";", maxsplit=1)[0].strip().lower()
