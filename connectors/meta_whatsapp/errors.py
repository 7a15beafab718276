"""What the Cloud API's error codes mean for us, in the hub's neutral words.

Codes come in two places: the answer to a send (``{"error": {"code": ...}}``)
and a ``failed`` status webhook (``errors[0].code``). Only this module knows
them; the hub sees a ``SendOutcome`` or a ``FailureReason``.
"""

from __future__ import annotations

import logging

from connectors.messages import DeliveryStatus, FailureReason, SendOutcome, SendResult

OUTSIDE_WINDOW = 131047  # more than 24 hours since the citizen's last message
THROUGHPUT_LIMIT = 130429  # the number's messages-per-second limit
PAIR_RATE_LIMIT = 131056  # too many messages to one recipient in a short time
UNDELIVERABLE = 131026  # not a WhatsApp number, old app, terms not accepted...
UNSUPPORTED_TYPE = 131051  # a message type the recipient cannot receive
TOKEN_INVALID = 190  # the access token expired or was revoked
MARKETING_OPT_OUT = 131050  # the user stopped marketing messages from us
APP_RATE_LIMITS = frozenset({4, 80007})  # application or account call limits
TRANSIENT = frozenset({1, 2, 131000, 131016, 133004})  # Meta's "try again later" codes

RETRY_AFTER: dict[int, float] = {
    THROUGHPUT_LIMIT: 1.0,
    PAIR_RATE_LIMIT: 6.0,  # Meta: about one message every 6 seconds to the same user
    **dict.fromkeys(APP_RATE_LIMITS, 60.0),
}
DEFAULT_RATE_RETRY = 5.0

_REASONS: dict[int, FailureReason] = {
    OUTSIDE_WINDOW: FailureReason.OUTSIDE_WINDOW,
    THROUGHPUT_LIMIT: FailureReason.RATE_LIMITED,
    PAIR_RATE_LIMIT: FailureReason.RATE_LIMITED,
    UNDELIVERABLE: FailureReason.UNDELIVERABLE,
    UNSUPPORTED_TYPE: FailureReason.UNDELIVERABLE,
    MARKETING_OPT_OUT: FailureReason.OPTED_OUT,
}
_STATUSES = {
    "sent": DeliveryStatus.SENT,
    "delivered": DeliveryStatus.DELIVERED,
    "read": DeliveryStatus.DELIVERED,  # read implies delivered; the hub has no "read"
    "failed": DeliveryStatus.FAILED,
}
_logger = logging.getLogger(__name__)


def receipt_status(status: str) -> DeliveryStatus | None:
    """The ``DeliveryStatus`` of a status webhook's ``status``; ``None`` when unknown."""
    return _STATUSES.get(status)


def reason_for_code(code: str) -> FailureReason | None:
    """What a failed status's error code means; ``None`` for codes we do not act on."""
    return _REASONS.get(int(code)) if code.isdigit() else None


def send_result(http_status: int, code: int | None, sent: tuple[str, ...] = ()) -> SendResult:
    """The ``SendResult`` of a refused send. The error names only codes, never the
    provider's message (it may quote numbers) nor the token."""
    error = f"meta HTTP {http_status} error {code}"
    if code == OUTSIDE_WINDOW:
        return SendResult(SendOutcome.OUTSIDE_WINDOW, sent, error=error)
    if code in RETRY_AFTER or http_status == 429:
        retry_after = RETRY_AFTER.get(code or 0, DEFAULT_RATE_RETRY)
        return SendResult(SendOutcome.RATE_LIMITED, sent, retry_after, error)
    if code == MARKETING_OPT_OUT:
        return SendResult(SendOutcome.OPTED_OUT, sent, error=error)
    if code == TOKEN_INVALID or http_status == 401:
        _logger.error(
            "Meta refused the WhatsApp access token (error %s): renew LAPOR_META_TOKEN; "
            "messages are kept and retried",
            code,
        )
        return SendResult(SendOutcome.RETRY, sent, error=error)
    if http_status >= 500 or code in TRANSIENT:
        return SendResult(SendOutcome.RETRY, sent, error=error)
    return SendResult(SendOutcome.FAILED, sent, error=error)
