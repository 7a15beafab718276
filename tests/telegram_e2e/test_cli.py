"""``lapor telegram``: set-webhook, delete-webhook, info and poll against the fake Bot API."""

from __future__ import annotations

import json
import logging
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.main import app
from connectors.telegram.connector import ALLOWED_UPDATES
from tests.fakes.telegram_api import FakeTelegramApi, text_update
from tests.telegram_e2e.citizen import RICH_REPORT
from tests.telegram_e2e.conftest import SECRET, sqlite_only

PUBLIC = "https://lapor.example.go.id"
CHAT = 555000401


@pytest.fixture
def env(api: FakeTelegramApi, tmp_path: Path) -> dict[str, str]:
    return {
        "LAPOR_TELEGRAM_TOKEN": api.token,
        "LAPOR_TELEGRAM_SECRET": SECRET,
        "LAPOR_TELEGRAM_API_URL": api.url,
        "LAPOR_PUBLIC_URL": PUBLIC,
        "LAPOR_STATE_PATH": str(tmp_path / "state.sqlite3"),
        "LAPOR_LOG_LEVEL": "WARNING",
    }


@pytest.fixture
def keep_logging() -> Iterator[None]:
    """``poll`` configures the root logger for a terminal; give pytest its handlers back."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def lapor(env: dict[str, str], *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["telegram", *args], env=env)
    return result.exit_code, result.output


def test_set_webhook_registers_the_public_url_the_secret_and_the_update_types(
    api: FakeTelegramApi, env: dict[str, str]
) -> None:
    code, output = lapor(env, "set-webhook")

    assert code == 0, output
    assert api.webhook["url"] == f"{PUBLIC}/webhooks/telegram"
    assert api.webhook["secret_token"] == SECRET
    assert api.webhook["allowed_updates"] == list(ALLOWED_UPDATES)
    assert SECRET not in output and api.token not in output

    code, output = lapor(env, "info")
    assert code == 0 and json.loads(output)["url"] == f"{PUBLIC}/webhooks/telegram"

    code, output = lapor(env, "delete-webhook")
    assert code == 0 and api.webhook == {}


def test_set_webhook_refuses_a_url_telegram_would_not_call(api: FakeTelegramApi, env: dict[str, str]) -> None:
    code, output = lapor(env | {"LAPOR_PUBLIC_URL": "http://127.0.0.1:8000"}, "set-webhook")

    assert code == 2 and "HTTPS" in output
    assert api.calls_to("setWebhook") == []


def test_commands_say_what_is_missing_without_telegram_settings(env: dict[str, str]) -> None:
    bare = {k: v for k, v in env.items() if not k.startswith("LAPOR_TELEGRAM")}
    code, output = lapor(bare, "delete-webhook")

    assert code == 2 and "LAPOR_TELEGRAM_TOKEN" in output


def test_a_refusal_shows_telegrams_reason_and_never_the_token(
    api: FakeTelegramApi, env: dict[str, str]
) -> None:
    api.fail("deleteWebhook", 401, "Unauthorized")
    code, output = lapor(env, "delete-webhook")

    assert code == 1 and "Unauthorized" in output and api.token not in output


@sqlite_only
def test_poll_will_not_start_while_a_webhook_is_set(
    api: FakeTelegramApi, env: dict[str, str], database_url: str, keep_logging: None
) -> None:
    lapor(env, "set-webhook")
    code, output = lapor(env | {"LAPOR_DATABASE_URL": database_url}, "poll")

    assert code == 1 and "delete-webhook" in output
    assert api.calls_to("getUpdates") == []


@sqlite_only
def test_poll_answers_an_update_and_stops_cleanly_on_ctrl_c(
    api: FakeTelegramApi, env: dict[str, str], database_url: str, keep_logging: None
) -> None:
    update = api.push_update(text_update(CHAT, RICH_REPORT))

    def ctrl_c_once_answered() -> None:
        deadline = time.monotonic() + 20
        while not api.sent_texts(CHAT) and time.monotonic() < deadline:
            time.sleep(0.02)
        os.kill(os.getpid(), signal.SIGINT)

    interrupter = threading.Thread(target=ctrl_c_once_answered)
    interrupter.start()
    code, output = lapor(env | {"LAPOR_DATABASE_URL": database_url}, "poll", "--timeout", "1")
    interrupter.join()

    assert code == 0, output
    assert "stopping" in output
    assert len(api.sent_texts(CHAT)) == 1
    polls = api.calls_to("getUpdates")
    (fetched,) = [c for c in polls if [u["update_id"] for u in c.result or []] == [update["update_id"]]]
    assert all(c.params.get("offset") == update["update_id"] + 1 for c in polls[polls.index(fetched) + 1 :])
