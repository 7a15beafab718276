"""Twilio's REST client, held (never inherited) by the Twilio connectors.

twilio 9 lets a caller plug in its own HTTP client; ours runs on the
connector's ``httpx.AsyncClient`` (one connection pool, closed with the
connector) and never logs, because Twilio's default client logs phone numbers.
``api_url`` replaces ``https://api.twilio.com`` (the Messages API domain) so
that a local fake can stand in for Twilio.

Twilio errors become a ``SendOutcome``: 429 rate limited, 5xx and network
errors retried, the codes of ``connectors.twilio.errors`` as their reasons, the rest failed.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

import httpx
from twilio.base.exceptions import (
    TwilioException,
    TwilioRestException,
    TwilioServiceException,
)
from twilio.http import AsyncHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from connectors.messages import FailureReason, SendOutcome, SendResult
from connectors.twilio.errors import reason_for

DEFAULT_TIMEOUT = 15.0
_logger = logging.getLogger(__name__)


class HttpxTwilioHttpClient(AsyncHttpClient):  # type: ignore[misc]  # twilio has no types
    """twilio's async HTTP client interface on top of an ``httpx.AsyncClient``."""

    def __init__(self, http: httpx.AsyncClient, timeout: float = DEFAULT_TIMEOUT) -> None:
        super().__init__(logger=_logger, is_async=True, timeout=timeout)
        self._http = http

    async def request(  # twilio's interface, called positionally
        self,
        method: str,
        uri: str,
        params: Mapping[str, object] | None = None,
        data: Mapping[str, object] | None = None,
        headers: Mapping[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,  # noqa: ASYNC109  # part of twilio's interface
        allow_redirects: bool = False,
    ) -> Response:
        response = await self._http.request(
            method,
            uri,
            params=dict(params) if params else None,  # type: ignore[arg-type]
            data=dict(data) if data else None,
            headers=dict(headers) if headers else None,
            auth=auth,
            timeout=timeout or self.timeout,
            follow_redirects=allow_redirects,
        )
        return Response(response.status_code, response.text, response.headers)


class TwilioMessages:
    """Sends one message through Twilio's Messages API and reports the outcome."""

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        *,
        http: httpx.AsyncClient,
        api_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        # A non-empty ``environment`` keeps TWILIO_EDGE/TWILIO_REGION from the
        # process environment out: our settings are the only configuration.
        self._client = Client(
            account_sid,
            auth_token,
            http_client=HttpxTwilioHttpClient(http, timeout),
            environment={"LAPOR": "1"},
        )
        if api_url:
            self._client.api.base_url = api_url.rstrip("/")

    async def create(
        self,
        *,
        to: str,
        from_: str,
        status_callback: str | None,
        body: str | None = None,
        content_sid: str | None = None,
        content_variables: str | None = None,
        media_urls: Sequence[str] = (),
    ) -> SendResult:
        """Create one message; never raises for provider or network errors."""
        params: dict[str, Any] = {"to": to, "from_": from_}
        optional = {
            "status_callback": status_callback,
            "body": body,
            "content_sid": content_sid,
            "content_variables": content_variables,
            "media_url": list(media_urls) or None,
        }
        params.update({key: value for key, value in optional.items() if value is not None})
        try:
            message = await self._client.messages.create_async(**params)
        except (TwilioRestException, TwilioServiceException) as exc:
            return result_for_error(int(exc.status), _code(exc))
        except httpx.TransportError as exc:
            return SendResult(SendOutcome.RETRY, error=f"twilio unreachable: {type(exc).__name__}")
        except ValueError as exc:  # an unparseable answer
            return SendResult(SendOutcome.RETRY, error=f"twilio bad response: {type(exc).__name__}")
        except TwilioException as exc:  # the library refused the call itself
            return SendResult(SendOutcome.FAILED, error=f"twilio: {type(exc).__name__}")
        return SendResult(SendOutcome.SENT, provider_message_ids=(str(message.sid),))


def _code(exc: TwilioRestException | TwilioServiceException) -> int | None:
    try:
        return int(exc.code) if exc.code is not None else None
    except (TypeError, ValueError):
        return None


def result_for_error(status: int, code: int | None) -> SendResult:
    """Map a Twilio error (HTTP status, Twilio error code) to a ``SendResult``.

    The error text names only the codes: Twilio's messages quote phone numbers.
    """
    error = f"twilio HTTP {status} error {code}"
    reason = reason_for(code)
    if reason is FailureReason.OPTED_OUT:
        return SendResult(SendOutcome.OPTED_OUT, error=error)
    if reason is FailureReason.UNREACHABLE:
        return SendResult(SendOutcome.UNREACHABLE, error=error)
    if reason is FailureReason.OUTSIDE_WINDOW:
        return SendResult(SendOutcome.OUTSIDE_WINDOW, error=error)
    if status == 429 or code == 20429:
        return SendResult(SendOutcome.RATE_LIMITED, error=error)
    if status >= 500:
        return SendResult(SendOutcome.RETRY, error=error)
    return SendResult(SendOutcome.FAILED, error=error)
