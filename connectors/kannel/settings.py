"""``LAPOR_KANNEL_*``: an operator's SMSC through Kannel, for Indonesian numbers and shortcodes."""

from __future__ import annotations

from typing import Self

from connectors.base import ChannelConfigError, ChannelSettings, Registration, any_set, require_all

DLR_PATH = "kannel/dlr"
MIN_SECRET_CHARS = 16
_ALL = ("kannel_sendsms_url", "kannel_username", "kannel_password", "kannel_from", "kannel_secret")


class KannelSettings(ChannelSettings):
    """Kannel's section of the settings."""

    kannel_sendsms_url: str | None = None
    kannel_username: str | None = None
    kannel_password: str | None = None
    kannel_from: str | None = None
    kannel_secret: str | None = None

    @classmethod
    def build(cls, settings: Self, public_url: str) -> list[Registration]:
        """The Kannel connector; refuses a short secret."""
        if not any_set(settings, _ALL):
            return []
        require_all(settings, "Kannel", _ALL)
        secret = settings.kannel_secret or ""
        if len(secret) < MIN_SECRET_CHARS:
            raise ChannelConfigError(f"LAPOR_KANNEL_SECRET must have at least {MIN_SECRET_CHARS} characters")
        from connectors.kannel.connector import KannelConnector

        connector = KannelConnector(
            sendsms_url=settings.kannel_sendsms_url or "",
            username=settings.kannel_username or "",
            password=settings.kannel_password or "",
            from_=settings.kannel_from or "",
            secret=secret,
            dlr_url=f"{public_url}/webhooks/{DLR_PATH}",
        )
        return [Registration(connector, ("kannel", DLR_PATH))]
