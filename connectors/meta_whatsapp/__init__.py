"""WhatsApp through Meta's Cloud API, as one channel folder.

The hub registers ``MetaWhatsAppSettings`` and uses the connector's optional
capabilities: ``Handshake`` (the ``GET`` subscription check), ``FetchesMedia``
and ``ConversationWindow``. The interface is fixed in docs (settings
``LAPOR_META_*``, webhook ``/webhooks/meta/whatsapp``).
"""

from __future__ import annotations

from typing import ClassVar, Self

from connectors.base import ChannelSettings, Registration
from connectors.meta_whatsapp.connector import MetaLimits, MetaWhatsAppConnector
from connectors.meta_whatsapp.preview import preview
from connectors.meta_whatsapp.render import ApprovedTemplate
from connectors.meta_whatsapp.settings import MetaSettings, load_settings

__all__ = [
    "WEBHOOK_PATH",
    "MetaLimits",
    "MetaWhatsAppConnector",
    "MetaWhatsAppSettings",
    "channel",
    "connector_from",
    "preview",
]

WEBHOOK_PATH = "meta/whatsapp"  # under /webhooks/


def channel(public_url: str) -> list[Registration]:
    """The Meta WhatsApp connector when ``LAPOR_META_*`` configure it; nothing when unset.

    Raises ``ChannelConfigError`` naming the variables when only some are set or
    the ``status_update`` template is missing. ``public_url`` is not needed:
    Meta signs the body, not the URL.
    """
    settings = load_settings()
    if not settings.enabled():
        return []
    settings.check()
    return [Registration(connector_from(settings), (WEBHOOK_PATH,))]


def connector_from(settings: MetaSettings) -> MetaWhatsAppConnector:
    """A connector for checked ``settings``."""
    templates = {key: ApprovedTemplate(t.name, t.language) for key, t in settings.templates.items()}
    return MetaWhatsAppConnector(
        token=(settings.token or "").strip(),
        app_secret=(settings.app_secret or "").strip(),
        verify_token=(settings.verify_token or "").strip(),
        phone_number_id=(settings.phone_number_id or "").strip(),
        templates=templates,
        graph_url=settings.graph_url,
        api_version=settings.api_version,
    )


class MetaWhatsAppSettings(ChannelSettings):
    """The channel's entry in the process settings; ``MetaSettings`` reads ``LAPOR_META_*`` itself."""

    # Meta batches webhooks of up to 3 MB.
    webhook_body_limits: ClassVar[tuple[tuple[str, int], ...]] = (("meta/", 3 * 1024 * 1024 + 64 * 1024),)

    @classmethod
    def build(cls, settings: Self, public_url: str) -> list[Registration]:
        return channel(public_url)
