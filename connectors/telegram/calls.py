"""Two Bot API calls python-telegram-bot does not offer the way we need them.

``raw_updates`` returns updates exactly as Telegram sent them (to store before
parsing); ``download_file`` bounds the size and the host of a download.
Both raise python-telegram-bot's ``TelegramError``s; ``MediaRejected`` for size.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from telegram import Bot
from telegram.request import BaseRequest, RequestData

# Not re-exported by telegram.request; python-telegram-bot is pinned below 23.
from telegram.request._requestparameter import RequestParameter

from connectors.media import MediaRejected

POLL_MARGIN = 10.0  # seconds a long poll may take beyond its own timeout


class UnexpectedAnswer(Exception):
    """The Bot API answered with something other than what the method returns."""


async def raw_updates(
    request: BaseRequest,
    base_url: str,
    offset: int | None,
    poll_seconds: int,
    allowed_updates: Sequence[str],
) -> list[dict[str, Any]]:
    """``getUpdates`` without parsing: a list of update dicts."""
    params = {"offset": offset, "timeout": poll_seconds, "allowed_updates": list(allowed_updates)}
    data = RequestData(
        [RequestParameter.from_input(key, value) for key, value in params.items() if value is not None]
    )
    result = await request.post(
        f"{base_url}/getUpdates", request_data=data, read_timeout=poll_seconds + POLL_MARGIN
    )
    if not isinstance(result, list):
        raise UnexpectedAnswer("getUpdates did not return a list")
    return [update for update in result if isinstance(update, dict)]


async def download_file(
    bot: Bot, file_id: str, *, limit: int, file_prefix: str, read_timeout: float
) -> bytes:
    """``getFile`` then download, refusing files above ``limit`` bytes.

    The size is checked as Telegram reports it before downloading, and again
    after. The download URL must start with ``file_prefix`` (our Bot API host):
    python-telegram-bot would otherwise read a ``file_path`` naming a local
    file from disk.
    """
    found = await bot.get_file(file_id)
    check_size(found.file_size, limit)
    if not (found.file_path or "").startswith(file_prefix):
        raise UnexpectedAnswer("file is not on the Bot API host")
    content = bytes(await found.download_as_bytearray(read_timeout=read_timeout))
    check_size(len(content), limit)
    return content


def check_size(size: int | None, limit: int) -> None:
    """Raise ``MediaRejected`` when a known ``size`` is above ``limit``."""
    if size is not None and size > limit:
        raise MediaRejected(f"file larger than {limit} bytes")
