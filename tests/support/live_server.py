"""The demo app on a copy of the migrated template database, served live.

The server itself (uvicorn in a thread, ``LiveServer.call``) is
``tests.support.browser``'s; this adds the demo settings that point at its port.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bot.runtime.settings import Settings, load_settings
from tests.support.browser import LiveServer, free_socket, serving


def demo_settings_at(folder: Path, template: Path, port: int, **overrides: Any) -> Settings:
    """Demo settings on a copy of the migrated template database in ``folder``."""
    database = folder / "lapor.sqlite3"
    shutil.copy(template, database)
    options: dict[str, Any] = {
        "database_url": f"sqlite:///{database}",
        "state_path": folder / "state.sqlite3",
        "public_url": f"http://127.0.0.1:{port}",
        "demo": True,
        "worker_poll_seconds": 0.5,
        **overrides,
    }
    return load_settings(**options)


@contextmanager
def live_server(folder: Path, template: Path, **overrides: Any) -> Iterator[LiveServer]:
    sock = free_socket()
    settings = demo_settings_at(folder, template, sock.getsockname()[1], **overrides)
    with serving(settings, sock) as server:
        yield server
