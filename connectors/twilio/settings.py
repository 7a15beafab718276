"""``LAPOR_TWILIO_*``: Twilio SMS (numbers outside Indonesia) and Twilio WhatsApp."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, Self

from pydantic import Field, field_validator

from connectors.base import ChannelConfigError, ChannelSettings, Registration, any_set, require_all
from connectors.messages import STATUS_TEMPLATE

if TYPE_CHECKING:  # imported when configured: the twilio library takes ~0.3 s to load
    from connectors.twilio.sms import TwilioSmsConnector
    from connectors.twilio.whatsapp import TwilioWhatsAppConnector

STATUS_PATH = "twilio/status"
_ALL = ("twilio_account_sid", "twilio_auth_token", "twilio_sms_from", "twilio_whatsapp_from")
_ACCOUNT = ("twilio_account_sid", "twilio_auth_token")


class TwilioSettings(ChannelSettings):
    """Twilio's section of the settings."""

    chatty_loggers: ClassVar[tuple[str, ...]] = ("twilio",)

    twilio_account_sid: str | None = None
    twilio_auth_token: str | None = None
    twilio_sms_from: str | None = None
    twilio_whatsapp_from: str | None = None
    twilio_api_url: str | None = None
    # Approved WhatsApp templates by name (``Outbound.template.name``) -> ContentSid,
    # as JSON: {"status_update": "HX..."}. Pushes outside the 24-hour window need one.
    twilio_whatsapp_templates: dict[str, str] = Field(default_factory=dict)

    @field_validator("twilio_whatsapp_templates")
    @classmethod
    def _content_sids(cls, value: dict[str, str]) -> dict[str, str]:
        bad = sorted(name for name, sid in value.items() if not re.fullmatch(r"HX[0-9a-fA-F]{32}", sid))
        if bad:
            raise ValueError(f"ContentSid must be HX followed by 32 hex digits (check {', '.join(bad)})")
        return value

    @classmethod
    def build(cls, settings: Self, public_url: str) -> list[Registration]:
        """WhatsApp (with the status callbacks) first, then SMS."""
        if not any_set(settings, _ALL):
            return []
        require_all(settings, "Twilio", _ACCOUNT)
        if not (settings.twilio_sms_from or settings.twilio_whatsapp_from):
            raise ChannelConfigError(
                "Twilio is partly configured: set LAPOR_TWILIO_SMS_FROM and/or LAPOR_TWILIO_WHATSAPP_FROM"
            )
        callback = f"{public_url}/webhooks/{STATUS_PATH}"
        whatsapp, sms = _whatsapp(settings, callback), _sms(settings, callback)
        built = []
        if whatsapp is not None:
            built.append(Registration(whatsapp, ("twilio/whatsapp", STATUS_PATH)))
        if sms is not None:
            built.append(Registration(sms, ("twilio/sms",) if whatsapp else ("twilio/sms", STATUS_PATH)))
        return built


class _Account(NamedTuple):
    account_sid: str
    auth_token: str
    status_callback_url: str
    api_url: str | None


def _account(settings: TwilioSettings, callback: str) -> dict[str, Any]:
    assert settings.twilio_account_sid and settings.twilio_auth_token
    account = _Account(
        settings.twilio_account_sid, settings.twilio_auth_token, callback, settings.twilio_api_url
    )
    return account._asdict()


def _sms(settings: TwilioSettings, callback: str) -> TwilioSmsConnector | None:
    if not settings.twilio_sms_from:
        return None
    from connectors.twilio.sms import TwilioSmsConnector

    return TwilioSmsConnector(from_number=settings.twilio_sms_from, **_account(settings, callback))


def _whatsapp(settings: TwilioSettings, callback: str) -> TwilioWhatsAppConnector | None:
    if not settings.twilio_whatsapp_from:
        return None
    if STATUS_TEMPLATE not in settings.twilio_whatsapp_templates:
        # Without it, status updates to citizens silent for a day could never be sent.
        raise ChannelConfigError(
            "WhatsApp is partly configured: set LAPOR_TWILIO_WHATSAPP_TEMPLATES to JSON naming "
            f'the approved "{STATUS_TEMPLATE}" template, e.g. {{"{STATUS_TEMPLATE}": "HX..."}}'
        )
    from connectors.twilio.whatsapp import TwilioWhatsAppConnector

    return TwilioWhatsAppConnector(
        from_number=settings.twilio_whatsapp_from,
        templates=settings.twilio_whatsapp_templates,
        **_account(settings, callback),
    )
