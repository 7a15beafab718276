"""The whole bot behind a real Kannel: uvicorn on a loopback port, Kannel's
get-url pointing at its ``/webhooks/kannel``, the operator played by fakesmsc.

The app runs as in production: ``create_app(settings)`` builds its runtime in
uvicorn's own thread and event loop (``LAPOR_KANNEL_*`` settings pointing at
the gateway's sendsms port), with the worker running. Tests read the database
through an engine of their own.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote_plus, unquote_to_bytes

import pytest
import uvicorn
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.http.app import create_app
from bot.runtime.settings import Settings, load_settings
from storage.db import create_engine, session_factory
from tests.support import phones as harness
from tests.support.fakes.kannel_gateway import KannelGateway, free_port, get_url
from tests.support.fakes.twilio_api import FakeTwilioApi
from tests.support.phones import twilio_settings

SECRET = "kannel-shared-secret-0123456789"
SHORT_CODE = "1708"
twilio_server = harness.twilio_server  # fixtures: the fake Twilio, for the other numbers
twilio_api = harness.twilio_api
_GOT = re.compile(r"Got message \d+: <(.*)>$")
_TEXT = re.compile(r"^(\S+) (\S+) text (.*)$")
_PART = re.compile(r"^(\S+) (\S+) udh (\S+) data (\S*)$")


@dataclass
class Sms:
    sender: str
    receiver: str
    text: str


@dataclass
class _Parts:
    total: int
    pieces: dict[int, str] = field(default_factory=dict)


def sms_out(lines: list[str]) -> list[Sms]:
    """The SMS fakesmsc printed, reassembled.

    A one-part SMS is printed as is, each of its lines as one more ``Got
    message`` line; the parts of a long one arrive URL-encoded with their UDH
    (reference, count, number), to be joined.
    """
    messages: list[Sms] = []
    parts: dict[tuple[str, str, int], _Parts] = {}
    for line in lines:
        got = _GOT.search(line)
        if got is None:
            continue
        body = got.group(1)
        if text := _TEXT.match(body):
            messages.append(Sms(text.group(1), text.group(2), text.group(3)))
        elif part := _PART.match(body):
            udh = unquote_to_bytes(part.group(3))
            key, total, number = (part.group(1), part.group(2), udh[3]), udh[4], udh[5]
            pending = parts.setdefault(key, _Parts(total))
            pending.pieces[number] = unquote_plus(part.group(4))
            if len(pending.pieces) == pending.total:
                joined = "".join(pending.pieces[n] for n in sorted(pending.pieces))
                messages.append(Sms(key[0], key[1], joined))
                del parts[key]
        elif messages:  # the next line of a one-part SMS
            messages[-1].text += "\n" + body
    return messages


class AppServer:
    """uvicorn serving ``create_app(settings)`` on 127.0.0.1:``port``, in a thread."""

    def __init__(self, settings: Settings, port: int) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        config = uvicorn.Config(
            create_app(settings), log_level="warning", lifespan="on", ws="none", http="h11", loop="asyncio"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> AppServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the app did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)
        self.sock.close()


@pytest.fixture(scope="module")
def app_port() -> int:
    return free_port()


@pytest.fixture(scope="module")
def gateway(
    kannel_binaries: None, app_port: int, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[KannelGateway]:
    """bearerbox + smsbox, their get-url pointing at the app's ``/webhooks/kannel``."""
    workdir = tmp_path_factory.mktemp("kannel")
    with KannelGateway(workdir, get_url(f"http://127.0.0.1:{app_port}/webhooks/kannel", SECRET)) as kannel:
        yield kannel


@pytest.fixture
def app_settings(
    gateway: KannelGateway, app_port: int, database_url: str, tmp_path: Path, twilio_api: FakeTwilioApi
) -> Settings:
    """Kannel for Indonesian numbers, and Twilio SMS (the fake) for the others."""
    twilio = {k: v for k, v in twilio_settings(twilio_api).items() if k.startswith("twilio_")}
    del twilio["twilio_whatsapp_from"]
    return load_settings(
        database_url=database_url,
        state_path=tmp_path / "state.sqlite3",
        **twilio,
        public_url=f"http://127.0.0.1:{app_port}",
        kannel_sendsms_url=gateway.sendsms_url,
        kannel_username=gateway.username,
        kannel_password=gateway.password,
        kannel_from=SHORT_CODE,
        kannel_secret=SECRET,
    )


@pytest.fixture
def app(app_settings: Settings, app_port: int) -> Iterator[AppServer]:
    with AppServer(app_settings, app_port) as server:
        yield server


@pytest.fixture
async def records(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions on the app's database, for the test's own reads."""
    engine = create_engine(database_url)
    yield session_factory(engine)
    await engine.dispose()
