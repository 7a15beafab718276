"""Meta's subscription check: ``GET ?hub.mode=subscribe&hub.verify_token=T&hub.challenge=C``.

When ``T`` is our verify token the answer is ``C`` exactly, as ``text/plain``;
anything else is refused with 403 (so is a challenge that is not short printable
ASCII: Meta sends digits, and we echo nothing else).
"""

from __future__ import annotations

import hmac

from connectors.base import WebhookRejected, WebhookRequest, WebhookResponse

MAX_CHALLENGE = 256


def answer_handshake(request: WebhookRequest, verify_token: str) -> WebhookResponse:
    """The challenge echoed back; ``WebhookRejected(403)`` for a wrong mode or token."""
    mode = request.query.get("hub.mode", "")
    token = request.query.get("hub.verify_token", "")
    challenge = request.query.get("hub.challenge", "")
    if mode != "subscribe":
        raise WebhookRejected(403, "not a subscription request")
    if not hmac.compare_digest(token.encode(), verify_token.encode()):
        raise WebhookRejected(403, "wrong verify token")
    if not (0 < len(challenge) <= MAX_CHALLENGE and challenge.isascii() and challenge.isprintable()):
        raise WebhookRejected(403, "missing or malformed challenge")
    return WebhookResponse(200, challenge.encode(), "text/plain")
