"""Meta's webhook signature: ``X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>``.

The HMAC is over the exact bytes received, before any JSON parsing, and compared
in constant time.
"""

from __future__ import annotations

import hashlib
import hmac

from connectors.base import WebhookRejected, WebhookRequest

SIGNATURE_HEADER = "X-Hub-Signature-256"
_PREFIX = "sha256="


def sign(app_secret: str, body: bytes) -> str:
    """The header value Meta sends for ``body``."""
    return _PREFIX + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def verify_signature(request: WebhookRequest, app_secret: str) -> None:
    """Raise ``WebhookRejected(403)`` unless the request is signed with ``app_secret``."""
    given = (request.header(SIGNATURE_HEADER) or "").strip()
    if not given.lower().startswith(_PREFIX):
        raise WebhookRejected(403, "missing or malformed signature")
    expected = sign(app_secret, request.body)
    candidate = _PREFIX + given[len(_PREFIX) :].lower()
    if not hmac.compare_digest(candidate.encode("ascii", "replace"), expected.encode()):
        raise WebhookRejected(403, "wrong signature")
