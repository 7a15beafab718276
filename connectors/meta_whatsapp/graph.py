"""The few Graph API calls the channel makes, on one ``httpx.AsyncClient``.

``POST /{version}/{phone_number_id}/messages`` sends one message;
``GET /{version}/{media_id}`` gives a media's short-lived URL, which is then
downloaded with the same bearer token. Every call is bounded in time; the
token never appears in a log line or an error text.
"""

from __future__ import annotations

import logging
from typing import Any

import httpx

from connectors.messages import SendOutcome, SendResult
from connectors.meta_whatsapp.errors import send_result

DEFAULT_TIMEOUT = 15.0
_logger = logging.getLogger(__name__)


class GraphClient:
    """The Cloud API for one business phone number."""

    def __init__(
        self,
        *,
        token: str,
        phone_number_id: str,
        graph_url: str,
        api_version: str,
        http: httpx.AsyncClient,
    ) -> None:
        self.base = f"{graph_url.rstrip('/')}/{api_version.strip('/')}"
        self._messages_url = f"{self.base}/{phone_number_id}/messages"
        self._headers = {"Authorization": f"Bearer {token}"}
        self.http = http

    @property
    def auth_headers(self) -> dict[str, str]:
        return dict(self._headers)

    async def send_message(self, to: str, message: dict[str, Any]) -> SendResult:
        """Send one message object to ``to`` (digits); never raises for provider errors."""
        body = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": to, **message}
        try:
            response = await self.http.post(self._messages_url, json=body, headers=self._headers)
        except httpx.TransportError as exc:
            return SendResult(SendOutcome.RETRY, error=f"meta unreachable: {type(exc).__name__}")
        if response.status_code >= 400:
            return send_result(response.status_code, error_code(response))
        message_id = _message_id(response)
        if message_id is None:
            return SendResult(SendOutcome.RETRY, error="meta answered without a message id")
        return SendResult(SendOutcome.SENT, (message_id,))


def error_code(response: httpx.Response) -> int | None:
    """``error.code`` of a Graph error answer, if it has one."""
    try:
        error = response.json().get("error")
    except (ValueError, AttributeError):
        return None
    code = error.get("code") if isinstance(error, dict) else None
    return code if isinstance(code, int) and not isinstance(code, bool) else None


def _message_id(response: httpx.Response) -> str | None:
    try:
        messages = response.json().get("messages")
        message_id = messages[0]["id"]
    except (ValueError, AttributeError, LookupError, TypeError):
        return None
    return message_id if isinstance(message_id, str) and message_id else None
