"""The whole bot on the fake Twilio API (see ``tests/support/phones.py``)."""

from tests.support.phones import (  # noqa: F401  # fixtures
    clock,
    phone_bot,
    state_kind,
    state_settings,
    twilio_api,
    twilio_server,
)
