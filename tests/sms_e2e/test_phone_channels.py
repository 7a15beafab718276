"""Which phone channels the settings turn on, where they listen, where sends go."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from bot.delivery.channels import Channels, connector_for
from bot.delivery.local_channel import LocalConnector
from bot.delivery.scheme_router import SchemeRouter
from bot.runtime.channel_registry import build_channels
from bot.runtime.settings import SettingsError, load_settings
from connectors.base import ChannelConfigError
from storage.state import open_state_store
from tests.fakes.twilio_api import FakeTwilioApi
from tests.sms_e2e.harness import twilio_settings

KANNEL = {
    "kannel_sendsms_url": "http://127.0.0.1:13013/cgi-bin/sendsms",
    "kannel_username": "lapor",
    "kannel_password": "sendsms-password",
    "kannel_from": "1708",
    "kannel_secret": "kannel-shared-secret-0123456789",
}
TWILIO = twilio_settings(FakeTwilioApi())  # never started: only its credentials are read
SMS_ONLY = {k: v for k, v in TWILIO.items() if not k.startswith("twilio_whatsapp")}

Build = Callable[..., Channels]


@pytest.fixture
async def build(tmp_path: Path) -> AsyncIterator[Build]:
    built: list[Channels] = []
    state = open_state_store(None, tmp_path / "state.sqlite3", "test:")

    def make(**settings: Any) -> Channels:
        loaded = load_settings(state_path=tmp_path / "s", **settings)
        channels = build_channels(loaded, loaded.public_url, LocalConnector(state))
        built.append(channels)
        return channels

    yield make
    for channels in built:
        for connector in channels.unique():
            await connector.aclose()
    await state.aclose()


def test_indonesian_numbers_go_through_kannel_and_the_rest_through_twilio(build: Build) -> None:
    channels = build(**KANNEL, **TWILIO)
    router = channels.by_scheme["tel"]
    assert isinstance(router, SchemeRouter)
    assert router.route("tel:+6281234567890").name == "kannel"
    assert router.route("tel:+14155550123").name == "twilio_sms"
    assert router.route("tel:+85251234567").name == "twilio_sms"
    assert channels.by_scheme["whatsapp"].name == "twilio_whatsapp"
    paths = {path: c.name for path, c in channels.by_path.items()}
    assert paths == {
        "twilio/sms": "twilio_sms",
        "twilio/whatsapp": "twilio_whatsapp",
        "twilio/status": "twilio_whatsapp",
        "kannel": "kannel",
        "kannel/dlr": "kannel",
    }


@pytest.mark.parametrize(
    ("settings", "transport"), [(KANNEL, "kannel"), (SMS_ONLY, "twilio_sms")], ids=["kannel", "twilio"]
)
def test_one_sms_transport_takes_every_number(build: Build, settings: dict[str, Any], transport: str) -> None:
    channels = build(**settings)
    for number in ("+6281234567890", "+14155550123"):
        connector = connector_for(channels.by_scheme, f"tel:{number}")
        assert connector is not None and connector.name == transport


def test_twilio_sms_alone_takes_the_status_callbacks(build: Build) -> None:
    assert build(**SMS_ONLY).by_path["twilio/status"].name == "twilio_sms"


def test_no_phone_settings_no_phone_channels(build: Build) -> None:
    channels = build()
    assert not {"tel", "whatsapp"} & set(channels.by_scheme)
    assert not channels.by_path


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        ({"twilio_account_sid": TWILIO["twilio_account_sid"]}, "LAPOR_TWILIO_AUTH_TOKEN"),
        ({"twilio_sms_from": "+14155550100"}, "LAPOR_TWILIO_ACCOUNT_SID"),
        (
            {k: TWILIO[k] for k in ("twilio_account_sid", "twilio_auth_token")},
            "LAPOR_TWILIO_SMS_FROM",
        ),
        ({**TWILIO, "twilio_whatsapp_templates": {}}, "LAPOR_TWILIO_WHATSAPP_TEMPLATES"),
        ({**KANNEL, "kannel_password": None}, "LAPOR_KANNEL_PASSWORD"),
        ({"kannel_secret": KANNEL["kannel_secret"]}, "LAPOR_KANNEL_SENDSMS_URL"),
        ({**KANNEL, "kannel_secret": "too-short"}, "LAPOR_KANNEL_SECRET"),
    ],
)
def test_a_half_configured_channel_stops_the_start(
    build: Build, settings: dict[str, Any], named: str
) -> None:
    with pytest.raises(ChannelConfigError, match=named):
        build(**settings)


def test_template_sids_are_checked_at_start() -> None:
    with pytest.raises(SettingsError, match="LAPOR_TWILIO_WHATSAPP_TEMPLATES"):
        load_settings(twilio_whatsapp_templates={"status_update": "not-a-content-sid"})


def test_templates_are_read_from_the_environment_as_json(monkeypatch: pytest.MonkeyPatch) -> None:
    sid = "HX" + "0f" * 16
    monkeypatch.setenv("LAPOR_TWILIO_WHATSAPP_TEMPLATES", f'{{"status_update": "{sid}"}}')
    assert load_settings().twilio_whatsapp_templates == {"status_update": sid}
