"""The whole bot on the fake Twilio API (see ``tests/sms_e2e/harness.py``)."""

from tests.sms_e2e.harness import (  # noqa: F401  # fixtures
    clock,
    phone_bot,
    state_kind,
    state_settings,
    twilio_api,
    twilio_server,
)
