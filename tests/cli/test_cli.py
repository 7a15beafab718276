"""The `lapor` commands on a real database."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.main import app
from bot.runtime.process import build_runtime
from bot.runtime.settings import load_settings
from tests.support.autopilot import Answers, file_complaint
from tests.support.citizen import Citizen


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, database_url: str, tmp_path: Path) -> None:
    monkeypatch.setenv("LAPOR_DATABASE_URL", database_url)
    monkeypatch.setenv("LAPOR_STATE_PATH", str(tmp_path / "state.sqlite3"))


async def _file_one(database_url: str, state_path: Path) -> str:
    runtime = await build_runtime(load_settings(database_url=database_url, state_path=state_path))
    try:
        citizen = Citizen(runtime, "rest:cli")
        await file_complaint(
            citizen.keys,
            Answers(
                description="jembatan kayu di desa kami patah sejak banjir kemarin",
                location="Desa Wonokerto, Sleman",
            ),
        )
        return next(r.text for r in citizen.replies if r.key == "submitted").split("LPR-")[1][:8]
    finally:
        await runtime.close()


def test_complaints_show_prints_the_stored_record(database_url: str, tmp_path: Path, env: None) -> None:
    ticket = asyncio.run(_file_one(database_url, tmp_path / "state.sqlite3"))
    runner = CliRunner()
    shown = runner.invoke(app, ["complaints", "show", f"LPR-{ticket}", "--json"])
    assert shown.exit_code == 0, shown.output
    record = json.loads(shown.output)
    assert record["ticket"] == f"LPR-{ticket}"
    assert "jembatan kayu" in record["description"]
    assert record["history"][0]["to"] == "received"
    listed = runner.invoke(app, ["complaints", "list"])
    assert f"LPR-{ticket}" in listed.output


def test_unknown_ticket_exits_nonzero(env: None) -> None:
    result = CliRunner().invoke(app, ["complaints", "show", "LPR-00000000"])
    assert result.exit_code == 1


def test_db_upgrade_reports_the_revision(env: None) -> None:
    result = CliRunner().invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "database at revision" in result.output
