"""Fakes of the two upstream systems on 127.0.0.1: SP4N-LAPOR!'s stream intake and an Open311 server.

Both dedup on our ticket (``<referensi>`` / ``attribute[lapor_ticket]``), as a
well-behaved upstream does, so a resend after a timeout finds the same record.
``script`` scripts the next answers: ``"500"`` answers 500 without recording,
``"400"`` refuses, ``"slow"`` records the report and then holds the answer until
``release`` (the client times out first); anything else answers normally.
"""

from __future__ import annotations

import json
import threading
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

from defusedxml import ElementTree as SafeET


class UpstreamFake:
    def __init__(self) -> None:
        self.script: list[str] = []
        self.calls: list[tuple[str, str]] = []
        self.reports: dict[str, dict[str, Any]] = {}  # our ticket -> what arrived
        self.ids: dict[str, str] = {}  # our ticket -> upstream id
        self.statuses: dict[str, tuple[str, str]] = {}  # upstream id -> (status, notes)
        self.tokens: list[str] = []
        self._held = threading.Event()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> UpstreamFake:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()
        self._server.shutdown()
        self._server.server_close()

    def release(self) -> None:
        self._held.set()

    def _next(self) -> str:
        with self._lock:
            return self.script.pop(0) if self.script else "ok"

    def _record(self, ticket: str, content: dict[str, Any]) -> str:
        with self._lock:
            if ticket not in self.ids:
                self.ids[ticket] = f"UP-{len(self.ids) + 1}"
                self.reports[ticket] = content
                self.statuses[self.ids[ticket]] = ("open", "")
            return self.ids[ticket]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return None

            def _send(self, status: int, body: bytes, kind: str = "application/json") -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (the "slow" step)

            def do_POST(self) -> None:
                path = urlsplit(self.path).path
                raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                fake.calls.append(("POST", path))
                step = fake._next()
                if step in ("500", "400"):
                    self._send(int(step), b'{"error": "scripted"}')
                    return
                answer: Any
                if path == "/api/stream/addstream":
                    ticket, content = _lapor(raw)
                    fake.tokens.append(content["token"])
                    upstream_id = fake._record(ticket, content)
                    answer = {"trackingid": upstream_id, "transaksiid": f"TX-{upstream_id}"}
                elif path == "/requests.json":
                    form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
                    fake.tokens.append(form.get("api_key", ""))
                    upstream_id = fake._record(form["attribute[lapor_ticket]"], form)
                    answer = [{"service_request_id": upstream_id, "service_notice": "", "account_id": None}]
                else:
                    self._send(404, b"[]")
                    return
                if step == "slow":
                    fake._held.wait(30)  # recorded, but the answer comes too late
                self._send(200, json.dumps(answer).encode())

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                fake.calls.append(("GET", parts.path))
                ids = parse_qs(parts.query).get("service_request_id", [""])[0].split(",")
                found = [
                    {
                        "service_request_id": i,
                        "status": fake.statuses[i][0],
                        "status_notes": fake.statuses[i][1],
                    }
                    for i in ids
                    if i in fake.statuses
                ]
                self._send(200, json.dumps(found).encode())

        return Handler


def _lapor(raw: bytes) -> tuple[str, dict[str, Any]]:
    root = SafeET.fromstring(raw)
    report = root.find("laporan")
    reporter = root.find("pelapor")
    assert root.tag == "lapor" and report is not None and reporter is not None
    content: dict[str, Any] = {
        "token": root.get("token", ""),
        "rahasia": report.get("rahasia"),
        "anonim": report.get("anonim"),
        "pelapor": {child.tag: child.text or "" for child in reporter},
        "laporan": {child.tag: child.text or "" for child in report},
        "xml": ET.tostring(root, encoding="unicode"),
    }
    return content["laporan"]["referensi"], content
