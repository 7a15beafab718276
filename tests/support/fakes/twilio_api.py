"""A fake of Twilio's REST API on 127.0.0.1, for connector and whole-bot tests.

A real HTTP server (Starlette under uvicorn, in a thread) that:
- records ``Messages.create`` calls and answers with a realistic Message
  resource (``SM...`` sid, status ``queued``);
- checks Basic auth like Twilio (401, error 20003);
- injects failures: the next N calls (``fail_next``) or every call to one
  recipient (``fail_for``), with an HTTP status and a Twilio error code;
- serves media behind Basic auth, optionally through a redirect to a "CDN" path;
- builds signed webhooks (inbound messages, status callbacks) the way Twilio
  would send them to the bot.

Usage::

    with FakeTwilioApi() as twilio:
        connector = TwilioSmsConnector(..., api_url=twilio.base_url)
        ...
        assert twilio.messages[0].body == "..."

A conftest takes the fixtures ``twilio_server`` (one fake a session) and
``twilio_api`` (that fake, emptied for each test) by assigning them.
"""

from __future__ import annotations

import base64
import secrets
import socket
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlencode

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from twilio.request_validator import RequestValidator

from connectors.base import WebhookRequest
from tests.support.paths import FIXTURES as FIXTURES_DIR

FIXTURES = FIXTURES_DIR / "twilio"
ACCOUNT_SID = "AC" + "a1" * 16
AUTH_TOKEN = "fake-twilio-auth-token-0123456789"
API_VERSION = "2010-04-01"
_ERROR_MESSAGES = {
    20003: "Authenticate",
    20429: "Too Many Requests",
    21211: "The 'To' number is not a valid phone number.",
    21610: "Attempt to send to unsubscribed recipient",
    21614: "'To' number is not a valid mobile number",
    63016: "Failed to send freeform message because you are outside the allowed window.",
}


def recorded_form(name: str) -> dict[str, str]:
    """A recorded webhook body from ``tests/fixtures/twilio/<name>.form``, in order."""
    body = (FIXTURES / f"{name}.form").read_text().strip()
    return dict(parse_qsl(body, keep_blank_values=True))


def new_sid(prefix: str) -> str:
    """A Twilio-shaped SID: two letters and 32 hex digits."""
    return prefix + secrets.token_hex(16)


@dataclass
class SentMessage:
    """One recorded ``Messages.create`` call."""

    sid: str
    to: str
    from_: str
    body: str | None
    content_sid: str | None
    content_variables: str | None
    status_callback: str | None
    media_urls: list[str]
    form: dict[str, list[str]]


@dataclass
class Failure:
    """An injected error: HTTP ``status`` and Twilio error ``code``."""

    status: int
    code: int | None = None
    message: str = ""

    def response(self) -> Response:
        if self.code is None:  # a bare upstream failure, as a proxy would answer
            return Response("Service Unavailable", status_code=self.status)
        body = {
            "code": self.code,
            "message": self.message or _ERROR_MESSAGES.get(self.code, "Error"),
            "more_info": f"https://www.twilio.com/docs/errors/{self.code}",
            "status": self.status,
        }
        return JSONResponse(body, status_code=self.status)


@dataclass
class StoredMedia:
    content: bytes
    content_type: str
    redirect: bool | str


@dataclass
class FakeTwilioApi:
    """The fake API; ``with FakeTwilioApi() as twilio`` runs it on a free port."""

    account_sid: str = ACCOUNT_SID
    auth_token: str = AUTH_TOKEN
    messages: list[SentMessage] = field(default_factory=list)
    media_requests: list[tuple[str, bool]] = field(default_factory=list)
    _failures: list[Failure] = field(default_factory=list)
    _failures_for: dict[str, Failure] = field(default_factory=dict)
    _media: dict[str, StoredMedia] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: uvicorn.Server | None = None
    _thread: threading.Thread | None = None
    port: int = 0

    @property
    def base_url(self) -> str:
        """What ``LAPOR_TWILIO_API_URL`` is set to in tests."""
        return f"http://127.0.0.1:{self.port}"

    # -- control ---------------------------------------------------------

    def reset(self) -> None:
        with self._lock:
            self.messages.clear()
            self.media_requests.clear()
            self._failures.clear()
            self._failures_for.clear()
            self._media.clear()

    def fail_next(self, status: int, code: int | None = None, *, times: int = 1) -> None:
        """Answer the next ``times`` create calls with this error."""
        with self._lock:
            self._failures.extend(Failure(status, code) for _ in range(times))

    def fail_for(self, to: str, status: int, code: int | None = None) -> None:
        """Answer every create call to ``to`` (``+62...`` or ``whatsapp:+62...``) with an error."""
        with self._lock:
            self._failures_for[to] = Failure(status, code)

    def add_media(self, content: bytes, content_type: str, *, redirect: bool | str = False) -> str:
        """Store media; return its URL (behind Basic auth, like Twilio's).

        ``redirect=True`` answers with a 307 to a short-lived "CDN" URL on this
        server, as Twilio does; a string redirects there instead.
        """
        media_sid = new_sid("ME")
        with self._lock:
            self._media[media_sid] = StoredMedia(content, content_type, redirect)
        message_sid = new_sid("MM")
        return (
            f"{self.base_url}/{API_VERSION}/Accounts/{self.account_sid}"
            f"/Messages/{message_sid}/Media/{media_sid}"
        )

    # -- webhooks Twilio would send --------------------------------------

    def signature(self, url: str, params: Mapping[str, str]) -> str:
        return str(RequestValidator(self.auth_token).compute_signature(url, dict(params)))

    def webhook(self, url: str, params: Mapping[str, str], *, signature: str | None = "") -> WebhookRequest:
        """A ``WebhookRequest`` as Twilio would POST it; ``signature=None`` omits it,
        the default ``""`` computes the right one."""
        headers = {"Content-Type": "application/x-www-form-urlencoded", "User-Agent": "TwilioProxy/1.1"}
        if signature is not None:
            headers["X-Twilio-Signature"] = signature or self.signature(url, params)
        return WebhookRequest("POST", url, headers, urlencode(dict(params)).encode())

    def status_callback(
        self, message: SentMessage, status: str, error_code: int | None = None
    ) -> dict[str, str]:
        """The form Twilio posts to ``message.status_callback``."""
        params = {
            "SmsSid": message.sid,
            "SmsStatus": status,
            "MessageStatus": status,
            "To": message.to,
            "MessageSid": message.sid,
            "AccountSid": self.account_sid,
            "From": message.from_,
            "ApiVersion": API_VERSION,
        }
        if error_code is not None:
            params["ErrorCode"] = str(error_code)
        return params

    # -- server ----------------------------------------------------------

    def __enter__(self) -> FakeTwilioApi:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            self.app(), log_level="warning", lifespan="off", ws="none", http="h11", loop="asyncio"
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]}, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("fake Twilio API did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)
        self._server = self._thread = None

    def app(self) -> Starlette:
        base = f"/{API_VERSION}/Accounts/{{account}}"
        return Starlette(
            routes=[
                Route(f"{base}/Messages.json", self._create_message, methods=["POST"]),
                Route(f"{base}/Messages/{{message}}/Media/{{media}}", self._get_media),
                Route("/cdn/{media}", self._get_cdn_media),
            ]
        )

    # -- handlers ----------------------------------------------------------

    def _authorized(self, request: Request) -> bool:
        expected = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        return (
            request.headers.get("authorization") == f"Basic {expected}"
            and request.path_params.get("account") == self.account_sid
        )

    async def _create_message(self, request: Request) -> Response:
        if not self._authorized(request):
            return Failure(401, 20003).response()
        form = await request.form()
        values: dict[str, list[str]] = {}
        for key, value in form.multi_items():
            values.setdefault(key, []).append(str(value))
        failure = self._failure_for(_one(values, "To"))
        if failure is not None:
            return failure.response()
        invalid = _invalid_create(values)
        if invalid is not None:
            return invalid.response()
        message = self._record(values)
        return JSONResponse(self._resource(message), status_code=201)

    def _failure_for(self, to: str | None) -> Failure | None:
        with self._lock:
            if to is not None and to in self._failures_for:
                return self._failures_for[to]
            return self._failures.pop(0) if self._failures else None

    def _record(self, values: dict[str, list[str]]) -> SentMessage:
        message = SentMessage(
            sid=new_sid("SM"),
            to=_one(values, "To") or "",
            from_=_one(values, "From") or "",
            body=_one(values, "Body"),
            content_sid=_one(values, "ContentSid"),
            content_variables=_one(values, "ContentVariables"),
            status_callback=_one(values, "StatusCallback"),
            media_urls=values.get("MediaUrl", []),
            form=values,
        )
        with self._lock:
            self.messages.append(message)
        return message

    def _resource(self, message: SentMessage) -> dict[str, Any]:
        now = format_datetime(datetime.now(UTC), usegmt=False)
        uri = f"/{API_VERSION}/Accounts/{self.account_sid}/Messages/{message.sid}"
        return {
            "account_sid": self.account_sid,
            "api_version": API_VERSION,
            "body": message.body or "",
            "date_created": now,
            "date_sent": None,
            "date_updated": now,
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            "from": message.from_,
            "messaging_service_sid": None,
            "num_media": str(len(message.media_urls)),
            "num_segments": "1",
            "price": None,
            "price_unit": "USD",
            "sid": message.sid,
            "status": "queued",
            "subresource_uris": {"media": f"{uri}/Media.json"},
            "to": message.to,
            "uri": f"{uri}.json",
        }

    async def _get_media(self, request: Request) -> Response:
        authorized = self._authorized(request)
        media_sid = request.path_params["media"]
        with self._lock:
            self.media_requests.append((request.url.path, authorized))
            stored = self._media.get(media_sid)
        if not authorized:
            return Failure(401, 20003).response()
        if stored is None:
            return Failure(404, 20404, "The requested resource was not found").response()
        if isinstance(stored.redirect, str):
            return RedirectResponse(stored.redirect, 307)
        if stored.redirect:
            return RedirectResponse(f"/cdn/{media_sid}?Expires=4h&Signature=fake", 307)
        return Response(stored.content, media_type=stored.content_type)

    async def _get_cdn_media(self, request: Request) -> Response:
        media_sid = request.path_params["media"]
        authorized = "authorization" in request.headers
        with self._lock:
            self.media_requests.append((request.url.path, authorized))
            stored = self._media.get(media_sid)
        if stored is None:
            return Response("Not Found", status_code=404)
        return Response(stored.content, media_type=stored.content_type)


def _one(values: dict[str, list[str]], key: str) -> str | None:
    found = values.get(key)
    return found[0] if found else None


def _invalid_create(values: dict[str, list[str]]) -> Failure | None:
    """Twilio's own checks on a create call, for realism in whole-bot tests."""
    if not _one(values, "To"):
        return Failure(400, 21604, "A 'To' phone number is required.")
    if not _one(values, "From") and not _one(values, "MessagingServiceSid"):
        return Failure(400, 21603, "A 'From' phone number is required.")
    if not (_one(values, "Body") or _one(values, "ContentSid") or values.get("MediaUrl")):
        return Failure(400, 21619, "A text message body or media URL must be specified.")
    if len(_one(values, "Body") or "") > 1600:
        return Failure(400, 21617, "The concatenated message body exceeds the 1600 character limit.")
    return None


# -- fixtures (assigned by the conftests) --------------------------------------


@pytest.fixture(scope="session")
def twilio_server() -> Iterator[FakeTwilioApi]:
    with FakeTwilioApi() as api:
        yield api


@pytest.fixture
def twilio_api(twilio_server: FakeTwilioApi) -> FakeTwilioApi:
    """The fake Twilio API, emptied for each test."""
    twilio_server.reset()
    return twilio_server
