"""A Kannel connector, a fake of Kannel's sendsms for fast tests, and a real
Kannel gateway (bearerbox + smsbox + fakesmsc) for the ``kannel`` tests."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from connectors.base import WebhookRejected, WebhookRequest, WebhookResponse
from connectors.kannel.connector import KannelConnector
from connectors.messages import Inbound, Receipt
from tests.fakes.kannel_gateway import (
    Handler,
    KannelGateway,
    WebhookReceiver,
    get_url,
)

SECRET = "kannel-shared-secret-0123456789"
SENDSMS_URL = "http://kannel.internal:13013/cgi-bin/sendsms"
DLR_URL = "https://lapor.example.go.id/webhooks/kannel/dlr"
WEBHOOK_URL = "https://lapor.example.go.id/webhooks/kannel"
FIXTURES = Path(__file__).parent.parent / "fixtures" / "kannel"
NOW = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)


def recorded_request(name: str, secret: str = SECRET) -> WebhookRequest:
    """A get-url call recorded from Kannel 1.4.5, with ``secret`` appended."""
    query = (FIXTURES / f"{name}.query").read_text().strip()
    return WebhookRequest("GET", f"{WEBHOOK_URL}?{query}&secret={secret}", {}, b"")


@dataclass
class FakeSendsms:
    """Kannel's ``cgi-bin/sendsms`` as an httpx transport: records, then answers."""

    status: int = 202
    answer: str = "0: Accepted for delivery"
    requests: list[httpx.Request] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.headers.get("X-Kannel-Password") != "sendsms-password":
            return httpx.Response(403, text="Authorization failed for sendsms")
        return httpx.Response(self.status, text=self.answer)


@pytest.fixture
def sendsms() -> FakeSendsms:
    return FakeSendsms()


def make_kannel(http: httpx.AsyncClient, **overrides: object) -> KannelConnector:
    settings: dict[str, object] = {
        "sendsms_url": SENDSMS_URL,
        "username": "lapor",
        "password": "sendsms-password",
        "from_": "1708",
        "secret": SECRET,
        "dlr_url": DLR_URL,
        "http": http,
        "clock": lambda: NOW,
    }
    return KannelConnector(**(settings | overrides))  # type: ignore[arg-type]


@pytest.fixture
async def kannel(sendsms: FakeSendsms) -> AsyncIterator[KannelConnector]:
    connector = make_kannel(httpx.AsyncClient(transport=httpx.MockTransport(sendsms)))
    yield connector
    await connector.aclose()


# -- the real Kannel ---------------------------------------------------------


@dataclass
class Parsed:
    """What the webhook receiver got from Kannel, through ``KannelConnector.parse``."""

    items: list[Inbound | Receipt] = field(default_factory=list)
    rejected: list[WebhookRejected] = field(default_factory=list)


@pytest.fixture(scope="module")
def receiver() -> Iterator[WebhookReceiver]:
    """An HTTP server for Kannel's get-url and dlr-url; tests set its handler."""
    with WebhookReceiver(lambda request: WebhookResponse(status=503)) as server:
        yield server


@pytest.fixture(scope="module")
def gateway(
    kannel_binaries: None, receiver: WebhookReceiver, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[KannelGateway]:
    """bearerbox + smsbox on free ports, get-url pointing at ``receiver``."""
    workdir = tmp_path_factory.mktemp("kannel")
    with KannelGateway(workdir, get_url(receiver.url("/webhooks/kannel"), SECRET)) as kannel:
        yield kannel


def feed(connector: KannelConnector, parsed: Parsed) -> Handler:
    """A receiver handler that runs ``connector.parse`` and keeps the outcome."""

    def handle(request: WebhookRequest) -> WebhookResponse:
        try:
            items = connector.parse(request)
        except WebhookRejected as rejected:
            parsed.rejected.append(rejected)
            return WebhookResponse(status=rejected.status)
        parsed.items.extend(items)
        return connector.acknowledge(items)

    return handle
