"""One TLS context for every provider client: building one reads the CA bundle (~0.3 s)."""

from __future__ import annotations

import functools
import ssl

import httpx


@functools.cache
def ssl_context() -> ssl.SSLContext:
    return httpx.create_ssl_context()
