"""Settings come from LAPOR_* variables and fail fast with a clear message."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.main import app
from bot.runtime.settings import SettingsError, load_settings, require_deployable
from connectors.base import ChannelConfigError
from connectors.telegram import TelegramSettings


def test_defaults_are_embedded() -> None:
    settings = load_settings()
    assert settings.database_url.startswith("sqlite:///")
    assert settings.redis_url is None
    assert settings.port == 8000


def test_environment_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LAPOR_PORT", "9001")
    monkeypatch.setenv("LAPOR_DATABASE_URL", "postgres://u@db/lapor")
    settings = load_settings()
    assert settings.port == 9001
    assert settings.database_url == "postgresql://u@db/lapor"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("LAPOR_PORT", "eighty", "LAPOR_PORT"),
        ("LAPOR_PORT", "70000", "LAPOR_PORT"),
        ("LAPOR_DATABASE_URL", "mysql://x", "LAPOR_DATABASE_URL"),
        ("LAPOR_REDIS_URL", "localhost:6379", "LAPOR_REDIS_URL"),
        ("LAPOR_PUBLIC_URL", "example.org", "LAPOR_PUBLIC_URL"),
    ],
)
def test_bad_values_fail_fast_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=message):
        load_settings()


def test_telegram_token_without_secret_refuses_to_start() -> None:
    settings = load_settings(telegram_token="123:abc")
    with pytest.raises(ChannelConfigError, match="LAPOR_TELEGRAM_SECRET"):
        TelegramSettings.build(settings, settings.public_url)


@pytest.mark.parametrize(
    ("secret", "problem"),
    [
        (None, "is not set"),
        ("   ", "is not set"),
        ("change-me", "is a placeholder"),
        ("CHANGE-ME", "is a placeholder"),
        ("x" * 31, "is shorter than 32"),
    ],
)
def test_serving_refuses_an_unsafe_secret_key(secret: str | None, problem: str) -> None:
    with pytest.raises(SettingsError, match=f"LAPOR_SECRET_KEY {problem}.*secrets.token_urlsafe"):
        require_deployable(load_settings(secret_key=secret))


def test_a_random_secret_key_is_deployable() -> None:
    require_deployable(load_settings(secret_key="k3" * 16))


@pytest.mark.parametrize("command", ["serve", "worker"])
def test_serve_and_worker_exit_before_starting_without_a_secret_key(
    monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    monkeypatch.setenv("LAPOR_SECRET_KEY", "change-me")
    result = CliRunner().invoke(app, [command])
    assert result.exit_code != 0
    assert "LAPOR_SECRET_KEY is a placeholder" in str(result.exception)


def test_a_dotenv_file_is_read_only_when_lapor_env_file_allows_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / ".env").write_text("LAPOR_PORT=9999\n")
    monkeypatch.chdir(tmp_path)
    assert load_settings().port == 8000  # the suite sets LAPOR_ENV_FILE="": no .env leaks in
    monkeypatch.setenv("LAPOR_ENV_FILE", ".env")
    assert load_settings().port == 9999
