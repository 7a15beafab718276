"""``channel()``: all four credentials or none, and the status_update template required."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from connectors.base import ChannelConfigError
from connectors.messages import Outbound
from connectors.meta_whatsapp import WEBHOOK_PATH, MetaWhatsAppConnector, channel
from tests.fakes.meta_graph import APP_SECRET, PHONE_NUMBER_ID, TOKEN, VERIFY_TOKEN, FakeMetaGraph

PUBLIC_URL = "https://lapor.example.go.id"
TEMPLATES = json.dumps({"status_update": {"name": "lapor_status_update", "language": "id"}})
CREDENTIALS = {
    "LAPOR_META_TOKEN": TOKEN,
    "LAPOR_META_APP_SECRET": APP_SECRET,
    "LAPOR_META_VERIFY_TOKEN": VERIFY_TOKEN,
    "LAPOR_META_PHONE_NUMBER_ID": PHONE_NUMBER_ID,
}


@pytest.fixture(autouse=True)
def no_env_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No dotenv, and a working directory whose ``.env`` would configure the channel."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("".join(f"{k}={v}\n" for k, v in CREDENTIALS.items()))
    monkeypatch.setenv("LAPOR_ENV_FILE", "")


def configure(monkeypatch: pytest.MonkeyPatch, **values: str) -> None:
    for name, value in values.items():
        monkeypatch.setenv(name, value)


def test_nothing_set_is_no_channel() -> None:
    assert channel(PUBLIC_URL) == []


async def test_all_four_and_the_template_make_the_channel(
    monkeypatch: pytest.MonkeyPatch, meta_graph: FakeMetaGraph
) -> None:
    configure(monkeypatch, **CREDENTIALS, LAPOR_META_TEMPLATES=TEMPLATES, LAPOR_META_GRAPH_URL=meta_graph.url)
    [registration] = channel(PUBLIC_URL)
    connector = registration.connector
    assert isinstance(connector, MetaWhatsAppConnector)
    assert registration.paths == (WEBHOOK_PATH,) == ("meta/whatsapp",)
    assert connector.has_template("status_update")
    try:
        result = await connector.send(Outbound("whatsapp:+6281234567890", "Halo"))
    finally:
        await connector.aclose()
    assert result.ok
    assert meta_graph.requests[0].path == f"/v21.0/{PHONE_NUMBER_ID}/messages"


@pytest.mark.parametrize("unset", sorted(CREDENTIALS))
def test_a_missing_credential_is_named(monkeypatch: pytest.MonkeyPatch, unset: str) -> None:
    others = {name: value for name, value in CREDENTIALS.items() if name != unset}
    configure(monkeypatch, **others, LAPOR_META_TEMPLATES=TEMPLATES)
    with pytest.raises(ChannelConfigError) as refused:
        channel(PUBLIC_URL)
    message = str(refused.value)
    assert message.endswith(f"missing: {unset}")


def test_one_credential_alone_names_the_other_three(monkeypatch: pytest.MonkeyPatch) -> None:
    configure(monkeypatch, LAPOR_META_VERIFY_TOKEN=VERIFY_TOKEN)
    with pytest.raises(ChannelConfigError) as refused:
        channel(PUBLIC_URL)
    assert str(refused.value).endswith(
        "missing: LAPOR_META_TOKEN, LAPOR_META_APP_SECRET, LAPOR_META_PHONE_NUMBER_ID"
    )


@pytest.mark.parametrize(
    "templates",
    [None, "{}", json.dumps({"reminder": {"name": "lapor_reminder", "language": "id"}})],
    ids=["unset", "empty", "other-key"],
)
def test_the_status_update_template_is_required(
    monkeypatch: pytest.MonkeyPatch, templates: str | None
) -> None:
    configure(monkeypatch, **CREDENTIALS)
    if templates is not None:
        configure(monkeypatch, LAPOR_META_TEMPLATES=templates)
    with pytest.raises(ChannelConfigError) as refused:
        channel(PUBLIC_URL)
    assert "LAPOR_META_TEMPLATES" in str(refused.value)
    assert "status_update" in str(refused.value)


@pytest.mark.parametrize(
    "templates",
    ["not json", json.dumps({"status_update": "lapor_status_update"}), json.dumps({"status_update": {}})],
    ids=["not-json", "not-an-object", "no-name"],
)
def test_malformed_templates_are_refused(monkeypatch: pytest.MonkeyPatch, templates: str) -> None:
    configure(monkeypatch, **CREDENTIALS, LAPOR_META_TEMPLATES=templates)
    with pytest.raises(ChannelConfigError) as refused:
        channel(PUBLIC_URL)
    assert "templates" in str(refused.value).lower()


def test_secrets_are_not_in_the_refusal(monkeypatch: pytest.MonkeyPatch) -> None:
    configure(monkeypatch, LAPOR_META_TOKEN=TOKEN, LAPOR_META_APP_SECRET=APP_SECRET)
    with pytest.raises(ChannelConfigError) as refused:
        channel(PUBLIC_URL)
    assert TOKEN not in str(refused.value) and APP_SECRET not in str(refused.value)


def test_the_env_file_is_read_when_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LAPOR_ENV_FILE", str(tmp_path / ".env"))
    with pytest.raises(ChannelConfigError) as refused:  # the file has no templates
        channel(PUBLIC_URL)
    assert "status_update" in str(refused.value)
