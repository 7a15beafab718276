"""Provider connectors (Telegram, Twilio, Kannel) built from settings."""

from __future__ import annotations

from collections.abc import Iterator

from bot.settings import Settings
from connectors.base import Connector


def build(settings: Settings) -> Iterator[tuple[Connector, tuple[str, ...]]]:
    """Yield (connector, webhook paths) for each configured provider."""
    yield from ()
