"""`lapor worker` refuses to share an embedded state store with another process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.runtime.settings import load_settings
from bot.runtime.single_process import EmbeddedStoreBusy, sole_process

HOLDER = """
import sys, time
from pathlib import Path
from bot.runtime.settings import load_settings
from bot.runtime.single_process import sole_process
with sole_process(load_settings(state_path=Path(sys.argv[1]))):
    print("holding", flush=True)
    sys.stdin.read()
"""


def _env(tmp_path: Path, state: Path) -> dict[str, str]:
    return {
        **os.environ,
        "LAPOR_STATE_PATH": str(state),
        "LAPOR_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "LAPOR_SECRET_KEY": "k" * 48,
    }


@pytest.mark.slow  # two processes start
def test_a_second_process_on_the_embedded_store_is_refused(tmp_path: Path) -> None:
    state = tmp_path / "state.sqlite3"
    with subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(state)], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    ) as holder:
        assert holder.stdout is not None and holder.stdout.readline() == b"holding\n"
        busy = pytest.raises(EmbeddedStoreBusy, match=f"pid {holder.pid}")
        with busy, sole_process(load_settings(state_path=state)):
            pass
        worker = subprocess.run(
            [str(Path(sys.executable).with_name("lapor")), "worker"],
            env=_env(tmp_path, state),
            capture_output=True,
            timeout=60,
            check=False,
        )
        holder.communicate(b"")
    assert worker.returncode == 2
    assert b"in use by another process" in worker.stderr and b"LAPOR_REDIS_URL" in worker.stderr
    with sole_process(load_settings(state_path=state)):  # free again once the holder is gone
        pass


def test_redis_needs_no_file_lock(tmp_path: Path) -> None:
    settings = load_settings(state_path=tmp_path / "s.sqlite3", redis_url="redis://127.0.0.1:1/0")
    with sole_process(settings), sole_process(settings):
        assert not (tmp_path / "s.sqlite3.lock").exists()
