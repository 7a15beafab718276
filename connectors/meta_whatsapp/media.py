"""Download a citizen's photo or document from the Cloud API.

Two steps, both with the bearer token: ``GET /{version}/{media_id}`` answers a
short-lived URL (``lookaside.fbsbx.com``), then that URL gives the bytes. The
token is sent only to Meta's hosts (or the configured Graph URL, for a local
fake); type and size are bounded before and while reading. The hub still runs
``connectors.media.sanitize_media`` on the bytes (magic bytes, EXIF).
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

import httpx

from connectors.media import MAX_BYTES, MediaRejected
from connectors.messages import Media
from connectors.meta_whatsapp.graph import GraphClient
from connectors.meta_whatsapp.parse import ACCEPTED_MEDIA_TYPES

META_HOST_SUFFIXES = (".fbsbx.com", ".facebook.com", ".whatsapp.net", ".fbcdn.net")
_MEDIA_ID = re.compile(r"[A-Za-z0-9_.-]{1,128}")
_GONE = frozenset({400, 401, 403, 404, 410})


class MediaUnavailable(Exception):
    """Meta could not be reached or failed: try again later."""


class MediaFetcher:
    """Fetches media by id through ``graph``, at most ``max_bytes``."""

    def __init__(self, graph: GraphClient, *, max_bytes: int = MAX_BYTES, timeout: float = 60.0) -> None:
        self._graph = graph
        self._graph_origin = _origin(graph.base)
        self._max_bytes = max_bytes
        self._timeout = timeout

    def allowed(self, url: str) -> bool:
        """Whether the bearer token may go to ``url``."""
        try:
            parts = urlsplit(url)
            host = (parts.hostname or "").lower()
            same_origin = _origin(url) == self._graph_origin
        except ValueError:
            return False
        if parts.username is not None or parts.password is not None:
            return False
        if same_origin:
            return True
        return parts.scheme == "https" and host.endswith(META_HOST_SUFFIXES)

    async def fetch(self, media: Media) -> bytes:
        """The bytes; ``MediaRejected`` for a refused id, host, type or size,
        ``MediaUnavailable`` when Meta fails (retry later)."""
        media_id = media.provider_id or ""
        if not _MEDIA_ID.fullmatch(media_id):
            raise MediaRejected("media has no valid WhatsApp media id")
        if media.content_type not in ACCEPTED_MEDIA_TYPES:
            raise MediaRejected(f"media type {media.content_type!r} not accepted")
        url = await self._media_url(media_id)
        return await self._download(url)

    async def _media_url(self, media_id: str) -> str:
        try:
            response = await self._graph.http.get(
                f"{self._graph.base}/{quote(media_id, safe='')}",
                headers=self._graph.auth_headers,
                timeout=self._timeout,
            )
        except httpx.TransportError as exc:
            raise MediaUnavailable(f"media lookup failed: {type(exc).__name__}") from exc
        self._check_status(response.status_code)
        try:
            info = response.json()
            url, size = info["url"], info.get("file_size")
        except (ValueError, LookupError, TypeError, AttributeError) as exc:
            raise MediaUnavailable("media lookup answered no URL") from exc
        if isinstance(size, int) and size > self._max_bytes:
            raise MediaRejected(f"media larger than {self._max_bytes} bytes")
        if not isinstance(url, str) or not self.allowed(url):
            raise MediaRejected("media URL is not on a Meta host")
        return url

    async def _download(self, url: str) -> bytes:
        try:
            async with self._graph.http.stream(
                "GET", url, headers=self._graph.auth_headers, follow_redirects=False, timeout=self._timeout
            ) as response:
                self._check_status(response.status_code)
                self._check_headers(response)
                return await self._read(response)
        except httpx.TransportError as exc:
            raise MediaUnavailable(f"media download failed: {type(exc).__name__}") from exc

    def _check_status(self, status: int) -> None:
        if status in _GONE:
            raise MediaRejected(f"media not available (HTTP {status})")
        if status != 200:
            raise MediaUnavailable(f"media fetch failed (HTTP {status})")

    def _check_headers(self, response: httpx.Response) -> None:
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
