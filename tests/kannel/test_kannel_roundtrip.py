"""A citizen's SMS through a real Kannel to ``KannelConnector.parse``, and the
reply through ``KannelConnector.send`` back out of the fake SMSC."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from urllib.parse import quote

import anyio
import pytest

from connectors.kannel.connector import KannelConnector
from connectors.messages import Choice, DeliveryStatus, Inbound, Outbound, Receipt, SendOutcome
from tests.fakes.kannel_gateway import KannelGateway, WebhookReceiver
from tests.kannel.conftest import SECRET, Parsed, feed

pytestmark = pytest.mark.kannel


@pytest.fixture
async def connector(
    gateway: KannelGateway, receiver: WebhookReceiver
) -> AsyncIterator[tuple[KannelConnector, Parsed]]:
    kannel = KannelConnector(
        sendsms_url=gateway.sendsms_url,
        username=gateway.username,
        password=gateway.password,
        from_="1708",
        secret=SECRET,
        dlr_url=receiver.url("/webhooks/kannel/dlr"),
    )
    parsed = Parsed()
    receiver.handler = feed(kannel, parsed)
    yield kannel, parsed
    await kannel.aclose()


async def _eventually(check: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError("Kannel did not deliver in time")
        await anyio.sleep(0.05)


async def test_sms_round_trip(gateway: KannelGateway, connector: tuple[KannelConnector, Parsed]) -> None:
    kannel, parsed = connector
    gateway.inject("+6281234567890", "1708", "LAPOR jalan rusak di Cibiru")
    await _eventually(lambda: bool(parsed.items))
    [inbound] = parsed.items
    assert isinstance(inbound, Inbound)
    assert (inbound.address, inbound.text) == ("tel:+6281234567890", "LAPOR jalan rusak di Cibiru")
    assert inbound.external_id  # Kannel's %I, the dedup key
    assert parsed.rejected == []

    reply = Outbound(
        inbound.address,
        "Terima kasih. Apakah laporan Anda bersifat rahasia?",
        choices=(Choice("Ya", "affirm"), Choice("Tidak", "deny")),
    )
    result = await kannel.send(reply)
    assert result.outcome is SendOutcome.SENT
    sender, receiver, text = await anyio.to_thread.run_sync(gateway.sent_messages)
    assert (sender, receiver) == ("1708", "+6281234567890")
    assert text.startswith("Terima kasih. Apakah laporan Anda bersifat rahasia?")

    [message_id] = result.provider_message_ids
    delivered = Receipt(message_id, DeliveryStatus.DELIVERED)
    await _eventually(lambda: delivered in parsed.items)
    assert parsed.rejected == []


async def test_unicode_sms_arrives_intact(
    gateway: KannelGateway, connector: tuple[KannelConnector, Parsed]
) -> None:
    _, parsed = connector
    text = "Jalan rusak parah 🙏 tolong"
    gateway.inject("081298765432", "1708", quote(text.encode("utf-16-be")), kind="ucs2")
    await _eventually(lambda: bool(parsed.items))
    [inbound] = parsed.items
    assert isinstance(inbound, Inbound)
    assert (inbound.address, inbound.text) == ("tel:+6281298765432", text)
