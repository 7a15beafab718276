"""The fake Graph API and a Meta WhatsApp connector pointed at it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from connectors.meta_whatsapp import MetaLimits, MetaWhatsAppConnector
from connectors.meta_whatsapp.render import ApprovedTemplate
from tests.fakes import meta_graph as fake_graph
from tests.fakes.meta_graph import APP_SECRET, PHONE_NUMBER_ID, TOKEN, VERIFY_TOKEN, FakeMetaGraph

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
TEMPLATES = {
    "status_update": ApprovedTemplate("lapor_status_update", "id"),
    "reminder": ApprovedTemplate("lapor_reminder", "en"),
}
# No pacing waits in tests; the pacing tests configure their own.
FAST = MetaLimits(rate=100_000.0, recipient_gap=0.0, timeout=5.0, media_timeout=5.0)

meta_graph_server = fake_graph.meta_graph_server  # fixtures: the fake Graph API
meta_graph = fake_graph.meta_graph


def make_connector(graph_url: str = "http://127.0.0.1:9", **overrides: object) -> MetaWhatsAppConnector:
    settings: dict[str, object] = {
        "token": TOKEN,
        "app_secret": APP_SECRET,
        "verify_token": VERIFY_TOKEN,
        "phone_number_id": PHONE_NUMBER_ID,
        "templates": TEMPLATES,
        "graph_url": graph_url,
        "limits": FAST,
        "clock": lambda: NOW,
    }
    return MetaWhatsAppConnector(**(settings | overrides))  # type: ignore[arg-type]


@pytest.fixture
async def connector(meta_graph: FakeMetaGraph) -> AsyncIterator[MetaWhatsAppConnector]:
    built = make_connector(meta_graph.url)
    yield built
    await built.aclose()
