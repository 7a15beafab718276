"""``LAPOR_TELEGRAM_*``: the bot's token and webhook secret (both or neither)."""

from __future__ import annotations

import logging
import re
from typing import ClassVar, Self

from pydantic import field_validator

from connectors.base import ChannelSettings, Registration, any_set, require_all

DEFAULT_API_URL = "https://api.telegram.org"
WEBHOOK_PATH = "telegram"
_CREDENTIALS = ("telegram_token", "telegram_secret")


class TelegramSettings(ChannelSettings):
    """Telegram's section of the settings."""

    polling_command: ClassVar[str | None] = "telegram"
    setup_hint: ClassVar[str] = "set LAPOR_TELEGRAM_TOKEN and LAPOR_TELEGRAM_SECRET"
    chatty_loggers: ClassVar[tuple[str, ...]] = ("telegram", "httpx", "httpcore")

    telegram_token: str | None = None
    telegram_secret: str | None = None
    telegram_api_url: str = DEFAULT_API_URL
    # Shown as a QR code on /demo; getMe is not reachable offline, so it is a setting.
    telegram_bot_username: str | None = None

    @field_validator("telegram_bot_username")
    @classmethod
    def _bot_username(cls, value: str | None) -> str | None:
        name = (value or "").strip().removeprefix("@")
        if name and not re.fullmatch(r"[A-Za-z0-9_]{5,32}", name):
            raise ValueError("must be a Telegram username: 5-32 letters, digits or _")
        return name or None

    @classmethod
    def build(cls, settings: Self, public_url: str) -> list[Registration]:
        from connectors.telegram.connector import TelegramConnector

        # httpx logs request URLs, which carry the bot token; PTB logs message texts at DEBUG.
        logging.getLogger("httpx").setLevel(logging.WARNING)
        logging.getLogger("telegram").setLevel(logging.INFO)
        if not any_set(settings, _CREDENTIALS):
            return []
        require_all(settings, "Telegram", _CREDENTIALS)
        assert settings.telegram_token and settings.telegram_secret
        connector = TelegramConnector(
            settings.telegram_token, settings.telegram_secret, settings.telegram_api_url
        )
        return [Registration(connector, (WEBHOOK_PATH,))]
