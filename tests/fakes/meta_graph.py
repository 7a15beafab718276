"""A fake of Meta's Graph API (WhatsApp Cloud API) on 127.0.0.1, for connector tests.

A real HTTP server (Starlette under uvicorn, in a thread) that:
- records every request (``requests``) and the messages it accepted (``messages``);
- answers ``POST /{version}/{phone_number_id}/messages`` as Meta does
  (``{"messaging_product", "contacts", "messages": [{"id": "wamid..."}]}``) after
  Meta's own checks (bearer token, at most 3 reply buttons of 20 characters,
  at most 10 list rows of 24 characters, 4,096-character texts...);
- injects errors with Meta's envelope (``{"error": {"message", "type", "code",
  "error_subcode", "fbtrace_id"}}``): the next N sends (``fail_next``) or every
  send to one recipient (``fail_for``), any HTTP status and Graph error code;
- serves media: ``add_media`` stores bytes, ``GET /{version}/{media_id}`` answers
  their URL on this server, and that URL needs the bearer token too;
- builds signed webhooks the way Meta posts them (``webhook``, ``status_payload``).

Usage::

    with FakeMetaGraph() as graph:
        connector = MetaWhatsAppConnector(token=graph.token, ..., graph_url=graph.url)
        ...
        assert graph.messages[0].body["text"]["body"] == "Halo"

A conftest takes the fixtures ``meta_graph_server`` (one fake a session) and
``meta_graph`` (that fake, emptied for each test) by assigning them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from connectors.base import WebhookRequest

FIXTURES = Path(__file__).parent.parent / "fixtures" / "meta_whatsapp"
TOKEN = "EAAFakeMetaTokenForTests0123456789abcdef"
APP_SECRET = "fake-meta-app-secret-0123456789"
VERIFY_TOKEN = "fake-verify-token"
PHONE_NUMBER_ID = "106540352242922"
DISPLAY_NUMBER = "15550783881"
WABA_ID = "102290129340398"
API_VERSION = "v21.0"
WEBHOOK_URL = "https://lapor.example.go.id/webhooks/meta/whatsapp"
ERROR_MESSAGES = {
    100: "Invalid parameter",
    131009: "Parameter value is not valid",
    130429: "Rate limit hit",
    131026: "Message undeliverable",
    131047: "Re-engagement message",
    131051: "Unsupported message type",
    131056: "(Business Account, Consumer Account) pair rate limit hit",
    190: "Error validating access token: Session has expired.",
    131000: "Something went wrong",
}

Json = dict[str, Any]


@dataclass(frozen=True)
class Recorded:
    """One request the fake received."""

    method: str
    path: str
    headers: dict[str, str]
    body: Json | None
    status: int  # what the fake answered

    @property
    def bearer(self) -> str | None:
        value = self.headers.get("authorization", "")
        return value.removeprefix("Bearer ") if value.startswith("Bearer ") else None


@dataclass(frozen=True)
class SentMessage:
    """One message the fake accepted: its wamid, recipient and the whole request body."""

    id: str
    to: str
    type: str
    body: Json


@dataclass(frozen=True)
class GraphError:
    """An error answer in Meta's envelope."""

    status: int
    code: int
    subcode: int | None = None

    def response(self) -> JSONResponse:
        error: Json = {
            "message": ERROR_MESSAGES.get(self.code, "An unknown error occurred"),
            "type": "OAuthException",
            "code": self.code,
            "error_data": {"messaging_product": "whatsapp", "details": "fake"},
            "fbtrace_id": "A" + secrets.token_hex(8),
        }
        if self.subcode is not None:
            error["error_subcode"] = self.subcode
        return JSONResponse({"error": error}, status_code=self.status)


@dataclass
class _Failure:
    error: GraphError
    after: int  # sends still to let through first


@dataclass
class _StoredMedia:
    content: bytes
    mime_type: str
    reported_size: int


@dataclass
class _State:
    requests: list[Recorded] = field(default_factory=list)
    messages: list[SentMessage] = field(default_factory=list)
    failures: list[_Failure] = field(default_factory=list)
    failures_for: dict[str, GraphError] = field(default_factory=dict)
    media: dict[str, _StoredMedia] = field(default_factory=dict)
    media_urls: dict[str, str] = field(default_factory=dict)  # media id -> URL override


def recorded_payload(name: str) -> Json:
    """A recorded webhook body from ``tests/fixtures/meta_whatsapp/<name>.json``."""
    data: Json = json.loads((FIXTURES / f"{name}.json").read_text("utf-8"))
    return data


def new_wamid() -> str:
    return "wamid.HBgN" + secrets.token_urlsafe(30).replace("-", "A").replace("_", "B")


class FakeMetaGraph:
    """The fake server; start with ``with`` (or ``start``/``stop``)."""

    def __init__(
        self,
        *,
        token: str = TOKEN,
        app_secret: str = APP_SECRET,
        phone_number_id: str = PHONE_NUMBER_ID,
        api_version: str = API_VERSION,
    ) -> None:
        self.token = token
        self.app_secret = app_secret
        self.phone_number_id = phone_number_id
        self.api_version = api_version
        self.url = ""
        self._state = _State()
        self._lock = threading.Lock()
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    # -- what happened -----------------------------------------------------

    @property
    def requests(self) -> list[Recorded]:
        with self._lock:
            return list(self._state.requests)

    @property
    def messages(self) -> list[SentMessage]:
        """Messages accepted, in arrival order."""
        with self._lock:
            return list(self._state.messages)

    def requests_to(self, path_end: str) -> list[Recorded]:
        return [r for r in self.requests if r.path.endswith(path_end)]

    def reset(self) -> None:
        """Forget requests, messages, failures and media (between tests)."""
        with self._lock:
            self._state = _State()

    # -- programming it ----------------------------------------------------

    def fail_next(
        self, code: int, status: int = 400, *, times: int = 1, after: int = 0, subcode: int | None = None
    ) -> None:
        """Answer ``times`` sends with Graph error ``code`` (HTTP ``status``), once
        ``after`` sends have succeeded (to hit the second part of a reply)."""
        error = GraphError(status, code, subcode)
        with self._lock:
            self._state.failures.extend(_Failure(error, after if i == 0 else 0) for i in range(times))

    def fail_for(self, to: str, code: int, status: int = 400) -> None:
        """Answer every send to ``to`` (digits) with this error."""
        with self._lock:
            self._state.failures_for[to] = GraphError(status, code)

    def server_error(self, status: int = 500, *, times: int = 1, after: int = 0) -> None:
        """Answer with a 5xx (Meta's code 131000 "Something went wrong")."""
        self.fail_next(131000, status, times=times, after=after)

    def add_media(
        self,
        content: bytes,
        mime_type: str = "image/jpeg",
        *,
        reported_size: int | None = None,
        url: str | None = None,
    ) -> str:
        """Store media; return its media id. ``url`` makes the lookup answer another URL."""
        media_id = str(secrets.randbelow(10**15) + 10**15)
        size = len(content) if reported_size is None else reported_size
        with self._lock:
            self._state.media[media_id] = _StoredMedia(content, mime_type, size)
            if url is not None:
                self._state.media_urls[media_id] = url
        return media_id

    # -- webhooks Meta would send ------------------------------------------

    def signature(self, body: bytes, secret: str | None = None) -> str:
        key = (secret if secret is not None else self.app_secret).encode()
        return "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()

    def webhook(self, payload: Json | bytes, *, signature: str | None = "", url: str = "") -> WebhookRequest:
        """A ``WebhookRequest`` as Meta would POST it; ``signature=None`` omits the header,
        the default ``""`` computes the right one."""
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        headers = {"Content-Type": "application/json", "User-Agent": "facebookexternalua"}
        if signature is not None:
            headers["X-Hub-Signature-256"] = signature or self.signature(body)
        return WebhookRequest(
            "POST", url or "https://lapor.example.go.id/webhooks/meta/whatsapp", headers, body
        )

    def status_payload(self, message_id: str, status: str, error_code: int | None = None) -> Json:
        """The statuses webhook Meta posts for a message we sent."""
        item: Json = {
            "id": message_id,
            "status": status,
            "timestamp": str(int(time.time())),
            "recipient_id": "6281234567890",
        }
        if error_code is not None:
            item["errors"] = [
                {"code": error_code, "title": ERROR_MESSAGES.get(error_code, "Error"), "message": "fake"}
            ]
        value = {"messaging_product": "whatsapp", "metadata": self._metadata(), "statuses": [item]}
        return _envelope(value)

    def _metadata(self) -> Json:
        return {"display_phone_number": DISPLAY_NUMBER, "phone_number_id": self.phone_number_id}

    # -- server ------------------------------------------------------------

    def __enter__(self) -> FakeMetaGraph:
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
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        config = uvicorn.Config(
            self.app(), log_level="warning", lifespan="off", ws="none", http="h11", loop="asyncio"
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]}, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("fake Graph API did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)
        self._server = self._thread = None

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/download/{media}", self._download, methods=["GET"]),
                Route("/{version}/{number}/messages", self._send, methods=["POST"]),
                Route("/{version}/{media}", self._media_info, methods=["GET"]),
            ]
        )

    # -- handlers ----------------------------------------------------------

    def _record(self, request: Request, body: Json | None, status: int) -> None:
        with self._lock:
            self._state.requests.append(
                Recorded(request.method, request.url.path, dict(request.headers), body, status)
            )

    def _authorized(self, request: Request) -> bool:
        return request.headers.get("authorization") == f"Bearer {self.token}"

    async def _send(self, request: Request) -> Response:
        try:
            body = json.loads(await request.body())
        except ValueError:
            body = None
        answer = self._answer_send(request, body)
        self._record(request, body if isinstance(body, dict) else None, answer.status_code)
        return answer

    def _answer_send(self, request: Request, body: Any) -> Response:
        if not self._authorized(request):
            return GraphError(401, 190).response()
        if request.path_params["version"] != self.api_version:
            return GraphError(400, 100).response()
        if request.path_params["number"] != self.phone_number_id:
            return GraphError(400, 100, 33).response()
        if not isinstance(body, dict):
            return GraphError(400, 100).response()
        failure = self._failure_for(str(body.get("to", "")))
        if failure is not None:
            return failure.response()
        invalid = invalid_message(body)
        if invalid is not None:
            return GraphError(400, 131009).response()
        sent = SentMessage(new_wamid(), body["to"], body["type"], body)
        with self._lock:
            self._state.messages.append(sent)
        return JSONResponse(
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": body["to"], "wa_id": body["to"].removeprefix("+")}],
                "messages": [{"id": sent.id, "message_status": "accepted"}],
            }
        )

    def _failure_for(self, to: str) -> GraphError | None:
        with self._lock:
            if to in self._state.failures_for:
                return self._state.failures_for[to]
            if not self._state.failures:
                return None
            first = self._state.failures[0]
            if first.after > 0:
                first.after -= 1
                return None
            return self._state.failures.pop(0).error

    async def _media_info(self, request: Request) -> Response:
        media_id = request.path_params["media"]
        with self._lock:
            stored = self._state.media.get(media_id)
            url = self._state.media_urls.get(media_id, f"{self.url}/download/{media_id}?ext=1&hash=fake")
        answer = self._answer_media_info(request, media_id, stored, url)
        self._record(request, None, answer.status_code)
        return answer

    def _answer_media_info(
        self, request: Request, media_id: str, stored: _StoredMedia | None, url: str
    ) -> Response:
        if not self._authorized(request):
            return GraphError(401, 190).response()
        if request.path_params["version"] != self.api_version:
            return GraphError(400, 100).response()
        if stored is None:
            return GraphError(404, 100, 33).response()
        return JSONResponse(
            {
                "messaging_product": "whatsapp",
                "url": url,
                "mime_type": stored.mime_type,
                "sha256": hashlib.sha256(stored.content).hexdigest(),
                "file_size": stored.reported_size,
                "id": media_id,
            }
        )

    async def _download(self, request: Request) -> Response:
        with self._lock:
            stored = self._state.media.get(request.path_params["media"])
        if not self._authorized(request):
            answer: Response = Response("Unauthorized", status_code=401)
        elif stored is None:
            answer = Response("Not Found", status_code=404)
        else:
            answer = Response(stored.content, media_type=stored.mime_type)
        self._record(request, None, answer.status_code)
        return answer


def _envelope(value: Json) -> Json:
    change = {"field": "messages", "value": value}
    return {"object": "whatsapp_business_account", "entry": [{"id": WABA_ID, "changes": [change]}]}


def invalid_message(body: Json) -> str | None:
    """Meta's own checks on a send, for realism: what is wrong, or ``None``."""
    if body.get("messaging_product") != "whatsapp":
        return "messaging_product"
    to = body.get("to")
    if not isinstance(to, str) or not to.removeprefix("+").isdigit():
        return "to"
    kind = body.get("type")
    content = body.get(kind) if isinstance(kind, str) else None
    if not isinstance(content, dict):
        return "type"
    if kind == "text":
        text = content.get("body")
        return None if isinstance(text, str) and 1 <= len(text) <= 4096 else "text.body"
    if kind == "interactive":
        return _invalid_interactive(content)
    if kind == "template":
        language = content.get("language")
        ok = bool(content.get("name")) and isinstance(language, dict) and bool(language.get("code"))
        return None if ok else "template"
    return None if kind in {"image", "document"} and content.get("link") else "media"


def _invalid_interactive(content: Json) -> str | None:
    body = content.get("body", {}).get("text", "")
    if not 1 <= len(body) <= 1024:
        return "interactive.body"
    action = content.get("action", {})
    if content.get("type") == "button":
        buttons = action.get("buttons", [])
        titles_ok = all(1 <= len(b["reply"]["title"]) <= 20 for b in buttons)
        ids_ok = all(1 <= len(b["reply"]["id"]) <= 256 for b in buttons)
        return None if 1 <= len(buttons) <= 3 and titles_ok and ids_ok else "buttons"
    if content.get("type") == "list":
        rows = [row for section in action.get("sections", []) for row in section.get("rows", [])]
        rows_ok = all(
            1 <= len(r["title"]) <= 24 and len(r.get("description", "")) <= 72 and 1 <= len(r["id"]) <= 200
            for r in rows
        )
        label_ok = 1 <= len(action.get("button", "")) <= 20
        return None if 1 <= len(rows) <= 10 and rows_ok and label_ok else "list"
    if content.get("type") == "location_request_message":
        return None if action.get("name") == "send_location" else "location_request"
    return "interactive.type"


# -- fixtures (assigned by the conftests) --------------------------------------


@pytest.fixture(scope="session")
def meta_graph_server() -> Iterator[FakeMetaGraph]:
    with FakeMetaGraph() as graph:
        yield graph


@pytest.fixture
def meta_graph(meta_graph_server: FakeMetaGraph) -> FakeMetaGraph:
    """The fake Graph API, emptied for each test."""
    meta_graph_server.reset()
    return meta_graph_server
