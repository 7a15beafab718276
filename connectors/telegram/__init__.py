"""Telegram: webhook or long-polling updates in, Bot API messages out (``LAPOR_TELEGRAM_*``).

python-telegram-bot loads only when the channel is configured.
"""

from connectors.telegram.settings import TelegramSettings

__all__ = ["TelegramSettings"]
