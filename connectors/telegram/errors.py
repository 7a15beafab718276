"""What a Bot API error means for us: a ``SendResult`` for sends, ``TelegramApiError`` else."""

from __future__ import annotations

import warnings
from datetime import timedelta

from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    RetryAfter,
    TelegramError,
)
from telegram.warnings import PTBDeprecationWarning

from connectors.base import ProviderCallFailed
from connectors.messages import SendOutcome, SendResult

# BadRequest descriptions that mean the person cannot be reached at all.
_UNREACHABLE_HINTS = ("chat not found", "user not found", "peer_id_invalid")
_NO_RETRY = (InvalidToken, EndPointNotFound, Conflict, ChatMigrated, Forbidden)


class TelegramApiError(ProviderCallFailed):
    """A Bot API call other than ``send`` failed; ``retryable`` says whether to try again."""


def retry_seconds(exc: RetryAfter) -> float:
    """``retry_after`` in seconds, whichever type this python-telegram-bot returns."""
    with warnings.catch_warnings():
        # v22 warns that the attribute will become a timedelta; both are handled.
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def describe(exc: TelegramError, token: str) -> str:
    """A loggable description: the error type and Telegram's text, never the token."""
    return f"{type(exc).__name__}: {exc.message}".replace(token, "<token>")


def send_result(exc: TelegramError, sent: tuple[str, ...], token: str) -> SendResult:
    """Map the error that stopped a send; ``sent`` are the ids of parts already sent."""
    error = describe(exc, token)
    if sent:
        error += f" (after {len(sent)} part(s) were sent)"
    if isinstance(exc, RetryAfter):
        return SendResult(SendOutcome.RATE_LIMITED, sent, retry_seconds(exc), error)
    return SendResult(_outcome(exc), sent, error=error)


def _outcome(exc: TelegramError) -> SendOutcome:
    if isinstance(exc, Forbidden):  # blocked by the user, or the account is deleted
        return SendOutcome.UNREACHABLE
    if isinstance(exc, BadRequest):  # before NetworkError: BadRequest subclasses it
        lowered = exc.message.lower()
        unreachable = any(hint in lowered for hint in _UNREACHABLE_HINTS)
        return SendOutcome.UNREACHABLE if unreachable else SendOutcome.FAILED
    if isinstance(exc, _NO_RETRY):
        return SendOutcome.FAILED
    # NetworkError, TimedOut, 5xx, and answers that were not JSON: transient.
    return SendOutcome.RETRY


def api_error(exc: TelegramError, token: str) -> TelegramApiError:
    """Wrap an error of a non-send call (polling, webhooks, files)."""
    if isinstance(exc, RetryAfter):
        seconds = retry_seconds(exc)
        return TelegramApiError(describe(exc, token), retryable=True, retry_after=seconds)
    retryable = not isinstance(exc, (BadRequest, *_NO_RETRY))
    return TelegramApiError(describe(exc, token), retryable=retryable)
