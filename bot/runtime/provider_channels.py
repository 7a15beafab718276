"""Provider connectors (Telegram, Twilio, Kannel) built from settings.

A channel is on when its credentials are set; one that is half-configured
(a token without the webhook secret that authenticates the provider) stops
the process at start-up rather than accepting unauthenticated requests.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING

from bot.runtime.settings import Settings
from connectors.base import Connector

if TYPE_CHECKING:  # imported lazily: python-telegram-bot loads only when Telegram is on
    from connectors.telegram import TelegramConnector


class ChannelConfigError(SystemExit):
    """A channel's settings are incomplete; the message names what is missing."""


def _require(settings: Settings, channel: str, names: tuple[str, ...]) -> None:
    missing = [f"LAPOR_{n.upper()}" for n in names if not getattr(settings, n)]
    if missing:
        raise ChannelConfigError(f"{channel} is partly configured: set {', '.join(missing)}")


TELEGRAM_OFF = "Telegram is not configured: set LAPOR_TELEGRAM_TOKEN and LAPOR_TELEGRAM_SECRET"


def telegram_connector(settings: Settings) -> TelegramConnector | None:
    """The Telegram connector the settings describe; None when Telegram is off."""
    if not (settings.telegram_token or settings.telegram_secret):
        return None
    _require(settings, "Telegram", ("telegram_token", "telegram_secret"))
    from connectors.telegram import TelegramConnector

    # httpx logs request URLs, which carry the bot token; PTB logs message texts at DEBUG.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("telegram").setLevel(logging.INFO)
    assert settings.telegram_token and settings.telegram_secret
    return TelegramConnector(settings.telegram_token, settings.telegram_secret, settings.telegram_api_url)


def _telegram(settings: Settings) -> Iterator[tuple[Connector, tuple[str, ...]]]:
    connector = telegram_connector(settings)
    if connector is not None:
        yield connector, ("telegram",)


def build(settings: Settings) -> Iterator[tuple[Connector, tuple[str, ...]]]:
    """Yield (connector, webhook paths) for each configured provider."""
    from bot.runtime.provider_sms import phone_channels  # it imports this module's helpers

    yield from _telegram(settings)
    yield from phone_channels(settings)
