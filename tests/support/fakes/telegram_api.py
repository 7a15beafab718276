"""A fake Telegram Bot API: a real HTTP server on 127.0.0.1 that answers as Telegram does.

It runs uvicorn in a background thread, so sync and async tests (and a whole bot
under test) can use it alike::

    with FakeTelegramApi() as api:
        connector = TelegramConnector(api.token, "s3cret", api_url=api.url)
        ...
        assert api.calls_to("sendMessage")[0].params["text"] == "Halo"

Answers use Telegram's envelope (``{"ok": true, "result": ...}`` or ``{"ok":
false, "error_code", "description", "parameters"}``) and its error texts.
Tests program it: ``push_update`` feeds ``getUpdates``, ``add_file`` serves
``getFile`` and downloads, ``fail``/``rate_limit``/``server_error``/``block``
inject failures, ``expire_callback`` makes a button stale, and
``deliver_to_webhook`` posts an update to the registered webhook like Telegram.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import socket
import threading
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

TOKEN = "123456789:AAFakeTokenForTests_0123456789abcdefghij"
BOT_USER: dict[str, Any] = {
    "id": 123456789,
    "is_bot": True,
    "first_name": "LAPOR! Chat",
    "username": "LaporChatBot",
}
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64
MAX_DOWNLOAD = 20 * 1024 * 1024
BLOCKED = "Forbidden: bot was blocked by the user"
STALE_QUERY = "Bad Request: query is too old and response timeout expired or query ID is invalid"
_JSON_PARAMS = {"reply_markup", "allowed_updates", "entities", "link_preview_options"}
_INT_PARAMS = {"offset", "limit", "timeout", "message_id", "max_connections", "cache_time"}
_BOOL_PARAMS = {"drop_pending_updates", "show_alert", "disable_notification"}

Json = dict[str, Any]


class ApiError(Exception):
    """An error answer: raised by a handler, or injected with ``fail``."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def body(self) -> Json:
        body: Json = {"ok": False, "error_code": self.status, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


@dataclass(frozen=True)
class Call:
    """One request the fake received: method, decoded params, arrival time, answer status."""

    method: str
    params: Json
    at: float  # time.monotonic() on arrival
    status: int
    result: Any = None  # the "result" answered, when ``status`` is 200

    @property
    def chat_id(self) -> int | str | None:
        value = self.params.get("chat_id")
        return value if isinstance(value, int | str) else None


@dataclass
class _Failure:
    method: str
    error: ApiError
    chat_id: int | None
    times: int
    after: int  # matching calls still to let through first


@dataclass
class _File:
    content: bytes
    path: str
    size: int


@dataclass
class _State:
    calls: list[Call] = field(default_factory=list)
    failures: list[_Failure] = field(default_factory=list)
    updates: list[Json] = field(default_factory=list)
    files: dict[str, _File] = field(default_factory=dict)
    messages: dict[tuple[int | str, int], Json] = field(default_factory=dict)
    blocked: set[int] = field(default_factory=set)
    stale_callbacks: set[str] = field(default_factory=set)
    webhook: Json = field(default_factory=dict)


class FakeTelegramApi:
    """The fake server; start with ``with`` (or ``start``/``stop``)."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.url = ""
        self._state = _State()
        self._lock = threading.Lock()
        self._ids = itertools.count(1000)
        self._update_ids = itertools.count(500_000_001)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._new_update: asyncio.Event | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------

    def __enter__(self) -> FakeTelegramApi:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def start(self) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        config = uvicorn.Config(
            _app(self),
            log_level="warning",
            access_log=False,
            lifespan="off",
            ws="none",
            http="h11",
            loop="asyncio",
            timeout_graceful_shutdown=1,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=asyncio.run, args=(self._serve(sock),), daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the fake Telegram API did not start")
            time.sleep(0.01)

    async def _serve(self, sock: socket.socket) -> None:
        self._loop = asyncio.get_running_loop()
        self._new_update = asyncio.Event()
        assert self._server is not None
        await self._server.serve(sockets=[sock])

    def stop(self) -> None:
        if self._server is None or self._thread is None:
            return
        self._server.should_exit = True
        self._wake_pollers()
        self._thread.join(timeout=10)
        self._server = None

    def reset(self) -> None:
        """Forget calls, failures, updates, files, blocks and the webhook (between tests)."""
        with self._lock:
            self._state = _State()

    # -- what happened -----------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        with self._lock:
            return list(self._state.calls)

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method.lower() == method.lower()]

    def sent_texts(self, chat_id: int | None = None) -> list[str]:
        """Texts of successful ``sendMessage`` calls, optionally to one chat."""
        sent = [c for c in self.calls_to("sendMessage") if c.status == 200]
        return [c.params["text"] for c in sent if chat_id is None or c.chat_id == chat_id]

    @property
    def webhook(self) -> Json:
        with self._lock:
            return dict(self._state.webhook)

    # -- programming it ----------------------------------------------------------

    def fail(
        self,
        method: str,
        status: int,
        description: str,
        *,
        retry_after: int | None = None,
        chat_id: int | None = None,
        times: int = 1,
        after: int = 0,
    ) -> None:
        """Answer ``times`` calls of ``method`` (to ``chat_id``) with an error.

        The first ``after`` matching calls succeed, so that a failure can hit
        the second part of a split message.
        """
        error = ApiError(status, description, retry_after)
        failure = _Failure(method.lower(), error, chat_id, times, after)
        with self._lock:
            self._state.failures.append(failure)

    def rate_limit(self, retry_after: int = 5, method: str = "sendMessage", times: int = 1) -> None:
        description = f"Too Many Requests: retry after {retry_after}"
        self.fail(method, 429, description, retry_after=retry_after, times=times)

    def server_error(
        self, status: int = 500, method: str = "sendMessage", times: int = 1, after: int = 0
    ) -> None:
        self.fail(method, status, "Internal Server Error", times=times, after=after)

    def block(self, chat_id: int) -> None:
        """From now on, ``chat_id`` has blocked the bot."""
        with self._lock:
            self._state.blocked.add(chat_id)

    def expire_callback(self, callback_id: str) -> None:
        with self._lock:
            self._state.stale_callbacks.add(callback_id)

    def add_file(
        self,
        content: bytes,
        *,
        file_id: str | None = None,
        path: str | None = None,
        reported_size: int | None = None,
    ) -> str:
        """Serve ``content``; ``reported_size`` lets ``getFile`` claim another size."""
        number = next(self._ids)
        file_id = file_id or f"BQACAgUAAxkBAAI{number}fake"
        stored = _File(content, path or f"documents/file_{number}.bin", reported_size or len(content))
        with self._lock:
            self._state.files[file_id] = stored
        return file_id

    def push_update(self, update: Json) -> Json:
        """Queue an update for ``getUpdates``; an ``update_id`` is assigned if missing."""
        update = {"update_id": next(self._update_ids), **update}
        with self._lock:
            self._state.updates.append(update)
        self._wake_pollers()
        return update

    async def deliver_to_webhook(
        self, update: Json, *, client: httpx.AsyncClient | None = None, secret: str | None = None
    ) -> httpx.Response:
        """POST ``update`` to the registered webhook with its secret header, as Telegram does.

        Pass ``client`` to reach an app in-process (``httpx.ASGITransport``);
        ``secret`` overrides the registered one (to test forged deliveries).
        """
        hook = self.webhook
        token = secret if secret is not None else hook.get("secret_token", "")
        headers = {SECRET_HEADER: token} if token else {}
        if client is not None:
            return await client.post(hook["url"], json=update, headers=headers)
        async with httpx.AsyncClient() as own:
            return await own.post(hook["url"], json=update, headers=headers)

    def _wake_pollers(self) -> None:
        if self._loop is not None and self._new_update is not None:
            self._loop.call_soon_threadsafe(self._new_update.set)

    # -- serving -----------------------------------------------------------------

    async def handle(self, method: str, params: Json) -> tuple[int, Json]:
        """Answer one Bot API call and record it."""
        arrived = time.monotonic()
        handler = _HANDLERS.get(method.lower())
        name = handler.__name__.removeprefix("_") if handler else method
        try:
            self._injected_failure(method, params)
            if handler is None:
                raise ApiError(404, "Not Found")
            result = await handler(self, params)
            status, body = 200, {"ok": True, "result": result}
        except ApiError as exc:
            result, status, body = None, exc.status, exc.body()
        with self._lock:
            self._state.calls.append(Call(name, params, arrived, status, result))
        return status, body

    def _injected_failure(self, method: str, params: Json) -> None:
        with self._lock:
            for failure in self._state.failures:
                matches = failure.method == method.lower() and failure.chat_id in (
                    None,
                    params.get("chat_id"),
                )
                if not matches or failure.times <= 0:
                    continue
                if failure.after > 0:
                    failure.after -= 1
                    continue
                failure.times -= 1
                raise failure.error

    def file(self, path: str) -> bytes | None:
        with self._lock:
            found = [f for f in self._state.files.values() if f.path == path]
        return found[0].content if found else None

    def message(self, chat_id: int | str, text: str, markup: Json | None) -> Json:
        message_id = next(self._ids)
        chat: Json = {"id": chat_id, "type": "private", "first_name": "Warga"}
        if isinstance(chat_id, int) and chat_id < 0:
            chat = {"id": chat_id, "type": "supergroup", "title": "Grup"}
        sent: Json = {"message_id": message_id, "from": BOT_USER, "chat": chat}
        sent |= {"date": int(time.time()), "text": text}
        if markup and "inline_keyboard" in markup:  # Telegram echoes inline keyboards only
            sent["reply_markup"] = markup
        with self._lock:
            self._state.messages[(chat_id, message_id)] = sent
        return sent


# -- Bot API methods -------------------------------------------------------------

Handler = Callable[[FakeTelegramApi, Json], Coroutine[Any, Any, Any]]


async def _getMe(api: FakeTelegramApi, params: Json) -> Json:
    return {
        **BOT_USER,
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
    }


async def _sendMessage(api: FakeTelegramApi, params: Json) -> Json:
    chat_id, text = params.get("chat_id"), params.get("text", "")
    if chat_id in (None, ""):
        raise ApiError(400, "Bad Request: chat_id is empty")
    if chat_id in api._state.blocked:
        raise ApiError(403, BLOCKED)
    if not isinstance(text, str) or not text.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    if len(text.encode("utf-16-le")) // 2 > MAX_TEXT:
        raise ApiError(400, "Bad Request: message is too long")
    markup = params.get("reply_markup")
    _check_markup(markup)
    return api.message(chat_id, text, markup)


def _check_markup(markup: Any) -> None:
    rows = markup.get("inline_keyboard", []) if isinstance(markup, dict) else []
    for button in (button for row in rows for button in row):
        data = button.get("callback_data")
        if data is not None and not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA:
            raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")


async def _answerCallbackQuery(api: FakeTelegramApi, params: Json) -> bool:
    query_id = params.get("callback_query_id")
    if not query_id or query_id in api._state.stale_callbacks:
        raise ApiError(400, STALE_QUERY)
    return True


async def _editMessageReplyMarkup(api: FakeTelegramApi, params: Json) -> Json:
    key = (params.get("chat_id"), params.get("message_id"))
    with api._lock:
        message = api._state.messages.get(key)  # type: ignore[arg-type]
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        message = {k: v for k, v in message.items() if k != "reply_markup"}
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        api._state.messages[key] = message  # type: ignore[index]
    return message


async def _getFile(api: FakeTelegramApi, params: Json) -> Json:
    file_id = params.get("file_id", "")
    with api._lock:
        found = api._state.files.get(file_id)
    if found is None:
        raise ApiError(400, "Bad Request: invalid file_id")
    if found.size > MAX_DOWNLOAD:
        raise ApiError(400, "Bad Request: file is too big")
    return {
        "file_id": file_id,
        "file_unique_id": f"AgAD{file_id[-8:]}",
        "file_size": found.size,
        "file_path": found.path,
    }


async def _getUpdates(api: FakeTelegramApi, params: Json) -> list[Json]:
    if api.webhook.get("url"):
        raise ApiError(
            409,
            "Conflict: can't use getUpdates method while webhook is active; "
            "use deleteWebhook to delete the webhook first",
        )
    deadline = time.monotonic() + float(params.get("timeout", 0))
    while True:
        assert api._new_update is not None
        api._new_update.clear()  # before looking, so that no push is missed
        batch = _pending(api, params.get("offset"), int(params.get("limit", 100)))
        remaining = deadline - time.monotonic()
        if batch or remaining <= 0 or api._server is None or api._server.should_exit:
            return batch
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(api._new_update.wait(), remaining)


def _pending(api: FakeTelegramApi, offset: int | None, limit: int) -> list[Json]:
    with api._lock:
        if offset is not None:  # confirms every update below it, for good
            api._state.updates = [u for u in api._state.updates if u["update_id"] >= offset]
        return list(api._state.updates[:limit])


async def _setWebhook(api: FakeTelegramApi, params: Json) -> bool:
    with api._lock:
        api._state.webhook = {k: v for k, v in params.items() if k != "drop_pending_updates"}
        if not params.get("url"):
            api._state.webhook = {}
    return True


async def _deleteWebhook(api: FakeTelegramApi, params: Json) -> bool:
    with api._lock:
        api._state.webhook = {}
        if params.get("drop_pending_updates"):
            api._state.updates.clear()
    return True


async def _getWebhookInfo(api: FakeTelegramApi, params: Json) -> Json:
    with api._lock:
        hook, pending = dict(api._state.webhook), len(api._state.updates)
    info: Json = {
        "url": hook.get("url", ""),
        "has_custom_certificate": False,
        "pending_update_count": pending,
    }
    if hook.get("allowed_updates"):
        info["allowed_updates"] = hook["allowed_updates"]
    return info


_HANDLERS: dict[str, Handler] = {
    handler.__name__.removeprefix("_").lower(): handler
    for handler in (
        _getMe,
        _sendMessage,
        _answerCallbackQuery,
        _editMessageReplyMarkup,
        _getFile,
        _getUpdates,
        _setWebhook,
        _deleteWebhook,
        _getWebhookInfo,
    )
}


# -- HTTP ------------------------------------------------------------------------


def _app(api: FakeTelegramApi) -> Starlette:
    async def call(request: Request) -> Response:
        if request.path_params["token"] != api.token:
            return JSONResponse(ApiError(401, "Unauthorized").body(), status_code=401)
        params = await _params(request)
        status, body = await api.handle(request.path_params["method"], params)
        return JSONResponse(body, status_code=status)

    async def download(request: Request) -> Response:
        content = api.file(request.path_params["path"])
        if request.path_params["token"] != api.token or content is None:
            return JSONResponse(ApiError(404, "Not Found").body(), status_code=404)
        return Response(content, media_type="application/octet-stream")

    return Starlette(
        routes=[
            Route("/bot{token}/{method}", call, methods=["GET", "POST"]),
            Route("/file/bot{token}/{path:path}", download, methods=["GET"]),
        ]
    )


async def _params(request: Request) -> Json:
    """Parameters as the Bot API reads them: query, form, multipart or JSON body."""
    raw: Json = dict(request.query_params)
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        body = await request.json()
        raw.update(body if isinstance(body, dict) else {})
    elif content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        async with request.form() as form:
            raw.update({k: v for k, v in form.items() if isinstance(v, str)})
    return {key: _decode(key, value) for key, value in raw.items()}


def _decode(key: str, value: Any) -> Any:
    """Form values are strings; objects arrive JSON-encoded, numbers as digits."""
    if not isinstance(value, str):
        return value
    if key in _JSON_PARAMS:
        return json.loads(value)
    if key in _BOOL_PARAMS:
        return value.lower() == "true"
    if key in _INT_PARAMS or (key == "chat_id" and value.lstrip("-").isdigit()):
        return int(value)
    return value


# -- updates, shaped as Telegram sends them -----------------------------------------

_message_ids = itertools.count(1)


def user(user_id: int = 555000111, first_name: str = "Budi") -> Json:
    return {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "id"}


def private_chat(chat_id: int = 555000111, first_name: str = "Budi") -> Json:
    return {"id": chat_id, "first_name": first_name, "type": "private"}


def text_update(chat_id: int, text: str, *, first_name: str = "Budi") -> Json:
    """A private text message (no ``update_id``: ``push_update`` assigns one)."""
    message: Json = {"message_id": next(_message_ids), "date": int(time.time())}
    message |= {"from": user(chat_id, first_name), "chat": private_chat(chat_id, first_name)}
    message["text"] = text
    if text.startswith("/"):
        command = text.split(maxsplit=1)[0]
        message["entities"] = [{"offset": 0, "length": len(command), "type": "bot_command"}]
    return {"message": message}


def callback_update(chat_id: int, data: str, *, message_id: int = 1, query_id: str = "") -> Json:
    """A button press on a message the bot sent."""
    message: Json = {"message_id": message_id, "from": BOT_USER, "chat": private_chat(chat_id)}
    message |= {"date": int(time.time()), "text": "…"}
    query: Json = {"id": query_id or f"{chat_id}{message_id}", "from": user(chat_id)}
    query |= {"message": message, "chat_instance": "-4071920735551", "data": data}
    return {"callback_query": query}
