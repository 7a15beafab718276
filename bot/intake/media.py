"""Fetch and sanitise the photos a citizen sends, before the engine sees them."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from bot.core.cpu_pool import in_cpu_pool
from connectors.media import MediaRejected, SafeMedia, sanitize_media
from connectors.messages import Inbound, Media

log = logging.getLogger("lapor.media")
MAX_PER_MESSAGE = 5

Fetcher = Callable[[Media], Awaitable[bytes]]


class MediaIntake:
    """Downloads through the channel's connector, checks, strips EXIF."""

    @dataclass(frozen=True, slots=True)
    class Result:
        accepted: list[SafeMedia] = field(default_factory=list)
        rejected: bool = False

        @property
        def accepted_count(self) -> int:
            return len(self.accepted)

    def __init__(self, fetchers: Mapping[str, Fetcher]) -> None:
        self.fetchers = fetchers

    async def take(self, inbound: Inbound) -> Result:
        accepted: list[SafeMedia] = []
        rejected = len(inbound.media) > MAX_PER_MESSAGE
        for media in inbound.media[:MAX_PER_MESSAGE]:
            try:
                content = media.content if media.content is not None else await self._fetch(inbound, media)
                # Pillow decodes and re-encodes: off the loop.
                accepted.append(await in_cpu_pool(sanitize_media, content, claimed_type=media.content_type))
            except MediaRejected as exc:
                log.info("media rejected: %s", exc)
                rejected = True
        return self.Result(accepted, rejected)

    async def _fetch(self, inbound: Inbound, media: Media) -> bytes:
        fetcher = self.fetchers.get(inbound.channel)
        if fetcher is None:
            raise MediaRejected(f"channel {inbound.channel} cannot fetch media")
        try:
            return await fetcher(media)
        except MediaRejected:
            raise
        except Exception as exc:  # a provider error must not lose the message
            raise MediaRejected(f"download failed: {type(exc).__name__}") from exc
