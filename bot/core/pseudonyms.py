"""Keyed pseudonyms for logs and metrics: HMAC-SHA256, 64 bits, not reversible without the key.

An unkeyed hash of a phone number is reversed by hashing every Indonesian mobile
number (about 10^10) in minutes; an HMAC under a secret key is not. The key comes
from ``LAPOR_PSEUDONYM_KEY``, else is derived from ``LAPOR_SECRET_KEY``; a process
with neither (a demo, a test) uses a random key of its own, so its pseudonyms
change on restart. docs/security.md describes rotation.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

PSEUDONYM_HEX_DIGITS = 16  # 64 bits
_DERIVATION_LABEL = b"lapor-chat log pseudonyms v1"


class _ProcessKey:
    """The key this process's pseudonyms are made with (random until ``use_key``)."""

    value: bytes = secrets.token_bytes(32)


def pseudonym_key(pseudonym_key: str | None, secret_key: str | None) -> bytes:
    """The key to use: the dedicated one, else derived from the secret key, else random."""
    if pseudonym_key:
        return hashlib.sha256(pseudonym_key.encode()).digest()
    if secret_key:
        return hmac.new(secret_key.encode(), _DERIVATION_LABEL, hashlib.sha256).digest()
    return secrets.token_bytes(32)


def use_key(key: bytes) -> None:
    """Make ``key`` the process's pseudonym key (done once, when the runtime is built)."""
    if len(key) < 16:
        raise ValueError("a pseudonym key has at least 128 bits")
    _ProcessKey.value = key


def pseudonym(value: str, key: bytes | None = None) -> str:
    """16 hex digits of HMAC-SHA256(key, value): stable per key, not reversible."""
    mac = hmac.new(key or _ProcessKey.value, value.encode("utf-8", "surrogateescape"), hashlib.sha256)
    return mac.hexdigest()[:PSEUDONYM_HEX_DIGITS]
