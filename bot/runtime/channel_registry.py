"""The channels this build knows, one line each: adding a channel is one folder and one line here.

Each line is a channel folder's settings section (``connectors/<channel>/settings.py``): its
``LAPOR_<CHANNEL>_*`` fields join the process settings, and its ``build`` turns them into
connectors when they are set.
"""

from __future__ import annotations

from bot.delivery.channels import Channels
from connectors.base import ChannelSettings, Connector
from connectors.kannel import KannelSettings
from connectors.meta_whatsapp import MetaWhatsAppSettings
from connectors.telegram import TelegramSettings
from connectors.twilio import TwilioSettings


class ChannelSections(
    TelegramSettings,
    TwilioSettings,
    KannelSettings,
    MetaWhatsAppSettings,
):
    """Every registered channel's section; ``bot.runtime.settings.Settings`` inherits it."""


SECTIONS: tuple[type[ChannelSettings], ...] = ChannelSections.__bases__


def chatty_loggers() -> tuple[str, ...]:
    """Loggers of the channels' libraries that must stay at WARNING or above."""
    return tuple(name for section in SECTIONS for name in section.chatty_loggers)


def webhook_body_limits() -> tuple[tuple[str, int], ...]:
    """Channels' own body limits, as ``/webhooks/<path>`` prefixes and bytes."""
    return tuple((f"/webhooks/{path}", limit) for s in SECTIONS for path, limit in s.webhook_body_limits)


def polling_commands() -> dict[str, type[ChannelSettings]]:
    """The sections of channels that can be long-polled, by their CLI group name."""
    return {s.polling_command: s for s in SECTIONS if s.polling_command}


def build_channels(settings: ChannelSections, public_url: str, local: Connector) -> Channels:
    """The local channels, then every connector the settings turn on."""
    channels = Channels()
    channels.add(local)
    for section in SECTIONS:
        for registration in section.build(settings, public_url):
            channels.add(registration.connector, *registration.paths)
    return channels
