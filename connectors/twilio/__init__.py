"""Twilio: SMS for numbers outside Indonesia, and WhatsApp (``LAPOR_TWILIO_*``).

The twilio library loads only when the channel is configured.
"""

from connectors.twilio.settings import TwilioSettings

__all__ = ["TwilioSettings"]
