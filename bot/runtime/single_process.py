"""One process per embedded state store, enforced across processes.

The embedded store keeps locks, rate limits and live messages in memory, so a
second process on the same file (``lapor worker`` beside ``lapor serve``) would
take the same conversation lock twice. Each process that opens the store first
takes an exclusive, non-blocking lock on ``<state file>.lock`` (``flock``: the
kernel drops it when the process dies, even on SIGKILL); a second one is refused
with a message that says what to do.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.runtime.settings import Settings


class EmbeddedStoreBusy(RuntimeError):
    """Another process already uses this embedded state store."""


def lock_path(state_path: Path) -> Path:
    return state_path.with_name(state_path.name + ".lock")


@contextmanager
def sole_process(settings: Settings) -> Iterator[None]:
    """Hold the embedded store for this process; nothing to hold when Redis is configured."""
    if settings.redis_url:
        yield
        return
    path = lock_path(settings.state_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise EmbeddedStoreBusy(_refusal(settings.state_path, os.pread(fd, 32, 0))) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _refusal(state_path: Path, holder: bytes) -> str:
    pid = holder.decode(errors="replace").strip() or "?"
    return (
        f"the embedded state store {state_path} is in use by another process (pid {pid}). "
        "It serves one process only: run `lapor serve` alone (it runs the outbox worker itself), "
        "or set LAPOR_REDIS_URL for every process to run `lapor worker` beside it."
    )
