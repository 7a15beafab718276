"""Where the tests find PostgreSQL and Redis, and what to do when they are away.

Locally a missing service skips its tests with a visible reason; in CI
(``CI=true``) it fails them, so a broken service never passes as green.
"""

from __future__ import annotations

import os
import socket
from typing import NoReturn
from urllib.parse import urlsplit

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"


def reachable(url: str) -> bool:
    parts = urlsplit(url.replace("+asyncpg", "").replace("+psycopg", ""))
    host, port = parts.hostname or "127.0.0.1", parts.port
    try:
        with socket.create_connection((host, port or 0), timeout=1.0):
            return True
    except OSError:
        return False


def require(env_var: str, what: str) -> str:
    """The service URL from ``env_var``; skip (or fail in CI) when unusable."""
    url = os.environ.get(env_var, "")
    if url and reachable(url):
        return url
    reason = (
        f"{what} not reachable at {url!r}" if url else f"{what} not configured"
    ) + f"; set {env_var} to run these tests"
    unavailable(reason)


def unavailable(reason: str) -> NoReturn:
    """Skip with ``reason`` locally; fail in CI, where every service must be there."""
    if IN_CI:
        pytest.fail(reason)
    pytest.skip(reason)
