"""The process SIGKILLed between commit and send: after restart, the reply and the push go out once."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def _run(mode: str, database_url: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "tests.faults.crash_child", mode, database_url]
    command += [str(tmp_path / "state.sqlite3"), str(tmp_path / "sent.txt")]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)


def test_killed_between_commit_and_send(database_url: str, tmp_path: Path) -> None:
    crashed = _run("crash", database_url, tmp_path)
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr
    assert crashed.stdout.startswith("committed [")
    assert not (tmp_path / "sent.txt").exists(), "nothing was sent before the kill"

    first = _run("restart", database_url, tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == "duplicate=True", "the provider's redelivery is recognised"
    second = _run("restart", database_url, tmp_path)  # and once more: nothing is sent twice
    assert second.returncode == 0, second.stderr

    sent = (tmp_path / "sent.txt").read_text().split()
    assert sent == ["consent", "push_status"]
