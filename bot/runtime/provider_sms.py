"""The phone channels built from settings: Twilio SMS, Twilio WhatsApp, Kannel.

Webhook paths: ``twilio/sms``, ``twilio/whatsapp``, ``twilio/status`` (status
callbacks, parsed by either Twilio connector), ``kannel`` (Kannel's get-url)
and ``kannel/dlr`` (its delivery reports). Both SMS transports serve the
``tel`` scheme, so sends go through a ``TelRouter`` yielded last: Indonesian
numbers to Kannel, the rest to Twilio.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

from bot.delivery.tel_routing import TelRouter
from bot.runtime.provider_channels import ChannelConfigError, _require
from bot.runtime.settings import Settings
from connectors.base import Connector

if TYPE_CHECKING:  # imported when configured: the twilio library takes ~0.3 s to load
    from connectors.kannel import KannelConnector
    from connectors.twilio_sms import TwilioSmsConnector
    from connectors.twilio_whatsapp import TwilioWhatsAppConnector

STATUS_PATH = "/webhooks/twilio/status"
DLR_PATH = "/webhooks/kannel/dlr"
# The template a push outside WhatsApp's 24-hour window is sent as (bot/officers/pushes.py).
PUSH_TEMPLATE = "status_update"

Built = Iterator[tuple[Connector, tuple[str, ...]]]
_TWILIO = ("twilio_account_sid", "twilio_auth_token", "twilio_sms_from", "twilio_whatsapp_from")
_KANNEL = ("kannel_sendsms_url", "kannel_username", "kannel_password", "kannel_from", "kannel_secret")


def phone_channels(settings: Settings) -> Built:
    """Yield (connector, webhook paths) for Twilio and Kannel, then the tel router."""
    sms, whatsapp = twilio_connectors(settings)
    kannel = kannel_connector(settings)
    if whatsapp is not None:
        yield whatsapp, ("twilio/whatsapp", "twilio/status")
    if sms is not None:
        yield sms, ("twilio/sms",) if whatsapp else ("twilio/sms", "twilio/status")
    if kannel is not None:
        yield kannel, ("kannel", "kannel/dlr")
    if sms is not None or kannel is not None:
        # Last, so that it owns the tel scheme the transports registered above.
        yield TelRouter(indonesia=kannel, elsewhere=sms), ()


def twilio_connectors(
    settings: Settings,
) -> tuple[TwilioSmsConnector | None, TwilioWhatsAppConnector | None]:
    """The Twilio SMS and WhatsApp connectors the settings turn on."""
    if not any(getattr(settings, name) for name in _TWILIO):
        return None, None
    _require(settings, "Twilio", ("twilio_account_sid", "twilio_auth_token"))
    if not (settings.twilio_sms_from or settings.twilio_whatsapp_from):
        raise ChannelConfigError(
            "Twilio is partly configured: set LAPOR_TWILIO_SMS_FROM and/or LAPOR_TWILIO_WHATSAPP_FROM"
        )
    assert settings.twilio_account_sid and settings.twilio_auth_token
    account = _TwilioAccount(
        settings.twilio_account_sid,
        settings.twilio_auth_token,
        settings.public_url + STATUS_PATH,
        settings.twilio_api_url,
    )
    return _sms(settings, account), _whatsapp(settings, account)


class _TwilioAccount(NamedTuple):
    account_sid: str
    auth_token: str
    status_callback_url: str
    api_url: str | None


def _sms(settings: Settings, account: _TwilioAccount) -> TwilioSmsConnector | None:
    if not settings.twilio_sms_from:
        return None
    from connectors.twilio_sms import TwilioSmsConnector

    return TwilioSmsConnector(from_number=settings.twilio_sms_from, **account._asdict())


def _whatsapp(settings: Settings, account: _TwilioAccount) -> TwilioWhatsAppConnector | None:
    if not settings.twilio_whatsapp_from:
        return None
    if PUSH_TEMPLATE not in settings.twilio_whatsapp_templates:
        # Without it, status updates to citizens silent for a day could never be sent.
        raise ChannelConfigError(
            "WhatsApp is partly configured: set LAPOR_TWILIO_WHATSAPP_TEMPLATES to JSON naming "
            f'the approved "{PUSH_TEMPLATE}" template, e.g. {{"{PUSH_TEMPLATE}": "HX..."}}'
        )
    from connectors.twilio_whatsapp import TwilioWhatsAppConnector

    return TwilioWhatsAppConnector(
        from_number=settings.twilio_whatsapp_from,
        templates=settings.twilio_whatsapp_templates,
        **account._asdict(),
    )


def kannel_connector(settings: Settings) -> KannelConnector | None:
    """The Kannel connector the settings turn on; refuses a short secret."""
    if not any(getattr(settings, name) for name in _KANNEL):
        return None
    _require(settings, "Kannel", _KANNEL)
    secret = settings.kannel_secret or ""
    if len(secret) < 16:
        raise ChannelConfigError("LAPOR_KANNEL_SECRET must have at least 16 characters")
    from connectors.kannel import KannelConnector

    return KannelConnector(
        sendsms_url=settings.kannel_sendsms_url or "",
        username=settings.kannel_username or "",
        password=settings.kannel_password or "",
        from_=settings.kannel_from or "",
        secret=secret,
        dlr_url=settings.public_url + DLR_PATH,
    )
