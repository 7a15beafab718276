"""The Telegram channel: webhook or long-polling updates in, Bot API messages out.

python-telegram-bot is used as a typed client and parser only, never its
``Application``: our engine decides the replies.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from telegram import Bot, LinkPreviewOptions
from telegram.error import BadRequest, TelegramError
from telegram.request import HTTPXRequest

from connectors.base import ProviderCallFailed, Update, WebhookRejected, WebhookRequest, WebhookResponse
from connectors.media import MediaRejected
from connectors.messages import Inbound, Media, Outbound, Receipt, SendOutcome, SendResult
from connectors.pacing import SendPacer
from connectors.telegram.calls import UnexpectedAnswer, check_size, download_file, raw_updates
from connectors.telegram.errors import TelegramApiError, api_error, describe, send_result
from connectors.telegram.parse import SCHEME, NotAnUpdate, parse_update
from connectors.telegram.render import KeyboardLabels, Markup, render_markup, split_text
from connectors.tls import ssl_context

__all__ = [
    "ALLOWED_UPDATES",
    "DEFAULT_API_URL",
    "SECRET_HEADER",
    "KeyboardLabels",
    "TelegramApiError",
    "TelegramConnector",
    "TelegramLimits",
    "parse_update",
]

logger = logging.getLogger(__name__)
T = TypeVar("T")

DEFAULT_API_URL = "https://api.telegram.org"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name
ALLOWED_UPDATES = ("message", "edited_message", "callback_query", "my_chat_member")
TELEGRAM_DOWNLOAD_LIMIT = 20 * 1024 * 1024  # the cloud Bot API serves no larger file
_SECRET_FORMAT = re.compile(r"[A-Za-z0-9_-]{1,256}")  # what setWebhook accepts
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


@dataclass(frozen=True, slots=True)
class TelegramLimits:
    """Pacing, size limits and timeouts; small values make tests fast."""

    per_chat_interval: float = 1.0
    global_rate: float = 30.0
    max_media_bytes: int = TELEGRAM_DOWNLOAD_LIMIT
    connection_pool_size: int = 32
    timeout: float = 10.0
    media_timeout: float = 60.0


class TelegramConnector:
    """The ``Connector`` for Telegram; also answers callbacks, fetches media, polls."""

    name: str = "telegram"
    schemes: tuple[str, ...] = (SCHEME,)

    def __init__(
        self,
        token: str,
        secret: str,
        api_url: str = DEFAULT_API_URL,
        limits: TelegramLimits | None = None,
        labels: KeyboardLabels | None = None,
    ) -> None:
        if not token:
            raise ValueError("a Telegram bot token is required")
        if not _SECRET_FORMAT.fullmatch(secret):
            raise ValueError("the webhook secret must be 1-256 characters of A-Z a-z 0-9 _ -")
        self._token = token
        self._secret = secret
        self._limits = limits or TelegramLimits()
        self._labels = labels or KeyboardLabels()
        self._pacer = SendPacer(self._limits.per_chat_interval, self._limits.global_rate)
        api = api_url.rstrip("/")
        self._file_prefix = f"{api}/file/bot{token}/"
        self._request = self._http(self._limits.connection_pool_size)
        self._poll_request = self._http(1)
        self._bot = Bot(
            token,
            base_url=f"{api}/bot",
            base_file_url=f"{api}/file/bot",
            request=self._request,
            get_updates_request=self._poll_request,
        )

    def _http(self, pool_size: int) -> HTTPXRequest:
        timeout = self._limits.timeout
        return HTTPXRequest(
            connection_pool_size=pool_size,
            read_timeout=timeout,
            write_timeout=timeout,
            connect_timeout=timeout,
            pool_timeout=timeout,
            httpx_kwargs={"verify": ssl_context()},
        )

    # -- inbound ---------------------------------------------------------------

    def parse(self, request: WebhookRequest) -> list[Inbound | Receipt]:
        """Check the secret header, then map the update (see ``telegram_parse``)."""
        given = request.header(SECRET_HEADER)
        if given is None or not hmac.compare_digest(given.encode(), self._secret.encode()):
            raise WebhookRejected(403, "missing or wrong secret token")
        try:
            data = json.loads(request.body)
        except (ValueError, RecursionError) as exc:
            raise WebhookRejected(400, "body is not JSON") from exc
        try:
            return [*parse_update(data)]
        except NotAnUpdate as exc:
            raise WebhookRejected(400, str(exc)) from exc

    def acknowledge(self, items: list[Inbound | Receipt]) -> WebhookResponse:
        """Telegram only needs a 2xx; anything else makes it deliver again."""
        return WebhookResponse(200, b"", "text/plain")

    async def answer_callback(self, callback_id: str) -> None:
        """Stop the button's spinner; a stale or failed answer is only logged."""
        try:
            await self._bot.answer_callback_query(callback_id)
        except BadRequest as exc:  # "query is too old": the button was pressed long ago
            logger.debug("telegram callback not answered: %s", describe(exc, self._token))
        except TelegramError as exc:
            logger.warning("telegram callback not answered: %s", describe(exc, self._token))

    async def fetch_media(self, media: Media) -> bytes:
        """Download a photo or document by its file id; raw bytes, not yet sanitised.

        Raises ``MediaRejected`` above ``limits.max_media_bytes`` (checked before
        and after the download) and ``TelegramApiError`` when Telegram fails.
        """
        if not media.provider_id:
            raise TelegramApiError("media has no Telegram file id", retryable=False)
        limit = self._limits.max_media_bytes
        check_size(media.size, limit)
        download = download_file(
            self._bot,
            media.provider_id,
            limit=limit,
            file_prefix=self._file_prefix,
            read_timeout=self._limits.media_timeout,
        )
        try:
            return await self._call(download)
        except TelegramApiError as exc:
            if "too big" in exc.reason.lower():  # Telegram's own 20 MB refusal
                raise MediaRejected("file larger than Telegram lets bots download") from exc
            raise

    # -- outbound --------------------------------------------------------------

    async def send(self, outbound: Outbound) -> SendResult:
        """Send ``outbound`` as one or more plain-text messages, keyboard on the last."""
        try:
            chat_id = chat_id_of(outbound.address)
            parts = split_text(outbound.text) if outbound.text.strip() else []
            markup = render_markup(outbound, self._labels)
        except ValueError as exc:
            return SendResult(SendOutcome.FAILED, error=str(exc))
        if not parts:
            return SendResult(SendOutcome.FAILED, error="message text is empty")
        sent: list[str] = []
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            try:
                sent.append(await self._send_part(chat_id, part, markup if last else None))
            except TelegramError as exc:
                return self._failed(chat_id, exc, tuple(sent))
        return SendResult(SendOutcome.SENT, tuple(sent))

    async def _send_part(self, chat_id: int, text: str, markup: Markup | None) -> str:
        await self._pacer.wait(chat_id)
        message = await self._bot.send_message(
            chat_id, text, reply_markup=markup, link_preview_options=_NO_PREVIEW
        )
        return str(message.message_id)

    def _failed(self, chat_id: int, exc: TelegramError, sent: tuple[str, ...]) -> SendResult:
        result = send_result(exc, sent, self._token)
        if result.retry_after is not None:
            self._pacer.penalize(chat_id, result.retry_after)
        logger.warning("telegram send %s: %s", result.outcome, result.error)
        return result

    # -- long polling and webhook setup ----------------------------------------

    async def get_updates(
        self,
        offset: int | None,
        timeout: int,  # noqa: ASYNC109 - Telegram's long-poll parameter, not a deadline
        allowed_updates: Sequence[str] = ALLOWED_UPDATES,
    ) -> list[dict[str, Any]]:
        """Long-poll for raw update dicts, as Telegram sent them.

        Store them, then advance ``offset`` to the last ``update_id`` + 1: asking
        with a higher offset confirms (drops) everything below it at Telegram.
        """
        base_url = self._bot.base_url
        return await self._call(raw_updates(self._poll_request, base_url, offset, timeout, allowed_updates))

    async def poll(self, offset: int | None, wait_seconds: int) -> list[Update]:
        """One getUpdates: each update with what it carried (``LongPolling``)."""
        try:
            raw = await self.get_updates(offset, wait_seconds)
        except TelegramApiError as exc:
            raise ProviderCallFailed(
                f"Telegram refused getUpdates: {exc.reason}",
                retryable=exc.retryable,
                retry_after=exc.retry_after,
            ) from exc
        return [update for update in map(self._update, raw) if update is not None]

    def _update(self, raw: dict[str, Any]) -> Update | None:
        update_id = raw.get("update_id")
        if type(update_id) is not int:
            logger.warning("skipping an update without an update_id")
            return None
        try:
            return Update(update_id, list(parse_update(raw)))
        except NotAnUpdate as exc:
            return Update(update_id, [], skipped=str(exc))

    async def set_webhook(
        self,
        url: str,
        secret: str | None = None,
        allowed_updates: Sequence[str] = ALLOWED_UPDATES,
    ) -> None:
        """Register ``url``; Telegram will send ``secret`` (default: ours) in the header."""
        await self._call(
            self._bot.set_webhook(
                url, secret_token=secret or self._secret, allowed_updates=list(allowed_updates)
            )
        )

    async def delete_webhook(self) -> None:
        """Remove the webhook (pending updates are kept) so that polling can start."""
        await self._call(self._bot.delete_webhook(drop_pending_updates=False))

    async def webhook_info(self) -> dict[str, Any]:
        """The webhook's URL, pending update count and last error, as Telegram reports."""
        info = await self._call(self._bot.get_webhook_info())
        return info.to_dict()

    async def _call(self, call: Awaitable[T]) -> T:
        try:
            return await call
        except TelegramError as exc:
            raise api_error(exc, self._token) from exc
        except UnexpectedAnswer as exc:
            raise TelegramApiError(str(exc), retryable=False) from exc

    async def aclose(self) -> None:
        """Close both HTTP clients."""
        await self._request.shutdown()
        await self._poll_request.shutdown()


def chat_id_of(address: str) -> int:
    """``telegram:12345`` -> ``12345``; raise ``ValueError`` for other addresses."""
    scheme, _, rest = address.partition(":")
    if scheme != SCHEME:
        raise ValueError(f"not a Telegram address: {scheme}:...")
    return int(rest)
