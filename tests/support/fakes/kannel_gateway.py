"""A real Kannel (Debian's ``kannel`` + ``kannel-extras``) on loopback, for tests.

``KannelGateway`` writes a kannel.conf on free 127.0.0.1 ports (from
``tests/fixtures/kannel/kannel.conf.template``), runs bearerbox and smsbox, and
plays the operator's SMSC with Kannel's ``fakesmsc``: ``inject`` delivers a
citizen's SMS, and every SMS Kannel sends comes out of fakesmsc as a
``Got message`` line. ``WebhookReceiver`` is a small HTTP server for Kannel's
``get-url`` and ``dlr-url`` that hands each request to a callback (e.g. a
connector's ``parse``). Every process is killed in ``stop``.

Usage::

    with WebhookReceiver(handler) as receiver, KannelGateway(tmp, receiver.url("/in")) as kannel:
        kannel.inject("+6281234567890", "1708", "LAPOR jalan rusak")
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from string import Template
from types import TracebackType
from urllib.parse import quote

from connectors.base import WebhookRequest, WebhookResponse
from tests.support.paths import FIXTURES

BEARERBOX = Path("/usr/sbin/bearerbox")
SMSBOX = Path("/usr/sbin/smsbox")
FAKESMSC = Path("/usr/lib/kannel/test/fakesmsc")
TEMPLATE = FIXTURES / "kannel" / "kannel.conf.template"
GET_URL_QUERY = "sender=%p&receiver=%P&text=%b&id=%I&coding=%c&charset=%C"
_GOT = re.compile(r"Got message \d+: <(\S+) (\S+) (\S+) (.*)>$")


def missing_binaries() -> list[str]:
    """The Kannel programs this machine lacks (empty when all are installed)."""
    return [str(path) for path in (BEARERBOX, SMSBOX, FAKESMSC) if not path.exists()]


def get_url(base: str, secret: str) -> str:
    """The ``get-url`` of Kannel's sms-service for lapor-chat's ``/webhooks/kannel``."""
    return f"{base}?{GET_URL_QUERY}&secret={quote(secret)}"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ProcessExited(RuntimeError):
    """The process ended before printing what we waited for."""


class Process:
    """A child process whose merged output is collected line by line."""

    def __init__(self, args: list[str], log: Path) -> None:
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self._log = log.open("w", encoding="utf-8")
        self.popen = subprocess.Popen(
            args,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own group: stop() reaches any children
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.popen.stdout is not None
        for raw in self.popen.stdout:
            line = raw.decode("utf-8", errors="replace").rstrip("\n")
            self._log.write(line + "\n")
            with self._changed:
                self.lines.append(line)
                self._changed.notify_all()

    def alive(self) -> bool:
        return self.popen.poll() is None

    def wait_for(self, pattern: re.Pattern[str], timeout: float, after: int = 0) -> re.Match[str]:
        """The first output line (from index ``after``) matching ``pattern``."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for line in self.lines[after:]:
                    match = pattern.search(line)
                    if match:
                        return match
                if not self._reader.is_alive():  # exited and every line read
                    raise ProcessExited("\n".join(self.lines[-10:]))
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"no line matching {pattern.pattern!r}")
                self._changed.wait(min(remaining, 0.1))

    def stop(self) -> None:
        if self.alive():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=3)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait(timeout=5)
        self._reader.join(timeout=5)
        if self.popen.stdout is not None:
            self.popen.stdout.close()
        self._log.close()


class KannelGateway:
    """bearerbox + smsbox + fakesmsc on free loopback ports."""

    def __init__(self, workdir: Path, get_url: str, *, username: str = "lapor") -> None:
        self.workdir = workdir
        self.username = username
        self.password = secrets.token_hex(12)
        self.ports = {
            name: free_port() for name in ("admin_port", "smsbox_port", "smsc_port", "sendsms_port")
        }
        self._get_url = get_url
        self._processes: list[Process] = []
        self.smsc: Process | None = None

    @property
    def sendsms_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['sendsms_port']}/cgi-bin/sendsms"

    def __enter__(self) -> KannelGateway:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> None:
        conf = self.workdir / "kannel.conf"
        conf.write_text(
            Template(TEMPLATE.read_text()).substitute(
                self.ports,
                workdir=self.workdir,
                admin_password=secrets.token_hex(8),
                username=self.username,
                password=self.password,
                get_url=self._get_url,
            )
        )
        bearerbox = self._spawn([str(BEARERBOX), str(conf)], "bearerbox.out")
        _wait_port(self.ports["admin_port"], bearerbox)
        _wait_port(self.ports["smsbox_port"], bearerbox)
        smsbox = self._spawn([str(SMSBOX), str(conf)], "smsbox.out")
        _wait_port(self.ports["sendsms_port"], smsbox)

    def inject(self, sender: str, receiver: str, text: str, *, kind: str = "text") -> Process:
        """Deliver one SMS from ``sender`` to ``receiver`` through a fresh fakesmsc.

        ``kind`` is fakesmsc's type: ``text`` (plain) or ``ucs2`` (``text`` is
        then URL-encoded UTF-16BE). The fakesmsc stays connected and prints what
        Kannel sends (``Got message``) until the next ``inject`` or ``stop``.
        """
        if self.smsc is not None:
            self.smsc.stop()
            self._processes.remove(self.smsc)
        message = f"{sender} {receiver} {kind} {text}"
        args = [str(FAKESMSC), "-H", "127.0.0.1", "-r", str(self.ports["smsc_port"])]
        for attempt in range(20):  # bearerbox may not listen for the SMSC yet
            self.smsc = self._spawn([*args, "-i", "0.1", "-m", "1", message], "fakesmsc.out")
            try:
                self.smsc.wait_for(re.compile(r"fakesmsc: sent message"), timeout=10)
                return self.smsc
            except ProcessExited:
                if attempt == 19:
                    raise
                self._processes.remove(self.smsc)
                self.smsc.stop()
                time.sleep(0.25)
        raise AssertionError("unreachable")

    def sent_messages(self, timeout: float = 10.0, after: int = 0) -> tuple[str, str, str]:
        """The next SMS Kannel sent out: ``(from, to, text)``."""
        if self.smsc is None:
            raise RuntimeError("no fakesmsc connected; inject a message first")
        match = self.smsc.wait_for(_GOT, timeout, after)
        return match.group(1), match.group(2), match.group(4)

    def _spawn(self, args: list[str], log_name: str) -> Process:
        process = Process(args, self.workdir / log_name)
        self._processes.append(process)
        return process

    def stop(self) -> None:
        """Stop every process, fakesmsc and smsbox before bearerbox."""
        for process in reversed(self._processes):
            process.stop()
        self._processes.clear()
        self.smsc = None


def _wait_port(port: int, process: Process, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not process.alive():
            raise RuntimeError("Kannel exited:\n" + "\n".join(process.lines[-20:]))
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port}")


Handler = Callable[[WebhookRequest], WebhookResponse]


class WebhookReceiver:
    """An HTTP server on 127.0.0.1 that turns each request into a ``WebhookRequest``."""

    def __init__(self, handler: Handler) -> None:
        self.requests: list[WebhookRequest] = []
        self.handler = handler
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._request_class())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{path}"

    def __enter__(self) -> WebhookReceiver:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _request_class(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class _Request(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self._answer(b"")

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self._answer(self.rfile.read(length))

            def _answer(self, body: bytes) -> None:
                request = WebhookRequest(
                    self.command, receiver.url(self.path), dict(self.headers.items()), body
                )
                receiver.requests.append(request)
                response = receiver.handler(request)
                self.send_response(response.status)
                self.send_header("Content-Type", response.content_type)
                self.send_header("Content-Length", str(len(response.body)))
                self.end_headers()
                self.wfile.write(response.body)

            def log_message(self, format: str, *args: object) -> None:
                """Quiet: requests carry phone numbers."""

        return _Request
