"""Downloading a citizen's photo through the fake Graph API: id -> URL -> bytes, with the token."""

from __future__ import annotations

import pytest

from connectors.media import MediaRejected
from connectors.messages import Media
from connectors.meta_whatsapp import MetaLimits, MetaWhatsAppConnector
from connectors.meta_whatsapp.media import MediaUnavailable
from tests.connectors.meta_whatsapp.conftest import make_connector
from tests.fakes.meta_graph import TOKEN, FakeMetaGraph

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 2048


async def test_media_is_fetched_with_the_bearer_token(
    connector: MetaWhatsAppConnector, meta_graph: FakeMetaGraph
) -> None:
    media_id = meta_graph.add_media(JPEG, "image/jpeg")
    content = await connector.fetch_media(Media("image/jpeg", provider_id=media_id))
    lookup, download = meta_graph.requests
    assert content == JPEG
    assert lookup.path == f"/v21.0/{media_id}"
    assert download.path == f"/download/{media_id}"
    assert lookup.bearer == TOKEN and download.bearer == TOKEN


async def test_a_pdf_is_fetched(connector: MetaWhatsAppConnector, meta_graph: FakeMetaGraph) -> None:
    pdf = b"%PDF-1.7\n" + b"x" * 100
    media_id = meta_graph.add_media(pdf, "application/pdf")
    assert await connector.fetch_media(Media("application/pdf", provider_id=media_id)) == pdf


async def test_an_unknown_media_id_is_rejected(connector: MetaWhatsAppConnector) -> None:
    with pytest.raises(MediaRejected, match="HTTP 404"):
        await connector.fetch_media(Media("image/jpeg", provider_id="999"))


@pytest.mark.parametrize("media_id", [None, "", "../../me", "1/messages", "x" * 200])
async def test_a_malformed_media_id_is_refused_without_a_request(
    connector: MetaWhatsAppConnector, meta_graph: FakeMetaGraph, media_id: str | None
) -> None:
    with pytest.raises(MediaRejected):
        await connector.fetch_media(Media("image/jpeg", provider_id=media_id))
    assert meta_graph.requests == []


async def test_an_unaccepted_type_is_refused(connector: MetaWhatsAppConnector) -> None:
    with pytest.raises(MediaRejected, match="not accepted"):
        await connector.fetch_media(Media("audio/ogg", provider_id="123"))


async def test_the_token_never_goes_to_another_host(
    connector: MetaWhatsAppConnector, meta_graph: FakeMetaGraph
) -> None:
    media_id = meta_graph.add_media(JPEG, url="https://evil.example.com/steal")
    with pytest.raises(MediaRejected, match="not on a Meta host"):
        await connector.fetch_media(Media("image/jpeg", provider_id=media_id))
    assert [r.path for r in meta_graph.requests] == [f"/v21.0/{media_id}"]


async def test_meta_hosts_are_allowed(connector: MetaWhatsAppConnector) -> None:
    fetcher = connector._media  # the host rule itself, without the network
    assert fetcher.allowed("https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1")
    assert not fetcher.allowed("http://lookaside.fbsbx.com/x")
    assert not fetcher.allowed("https://fbsbx.com.evil.example/x")
    assert not fetcher.allowed("https://user:pw@lookaside.fbsbx.com/x")
    assert not fetcher.allowed("https://lookaside.fbsbx.com:99999/x")


async def test_media_larger_than_the_limit_is_refused(meta_graph: FakeMetaGraph) -> None:
    limits = MetaLimits(recipient_gap=0.0, max_media_bytes=1024)
    connector = make_connector(meta_graph.url, limits=limits)
    announced = meta_graph.add_media(JPEG, reported_size=5000)
    understated = meta_graph.add_media(JPEG, reported_size=10)
    try:
        with pytest.raises(MediaRejected, match="larger"):
            await connector.fetch_media(Media("image/jpeg", provider_id=announced))
        with pytest.raises(MediaRejected, match="larger"):
            await connector.fetch_media(Media("image/jpeg", provider_id=understated))
    finally:
        await connector.aclose()
    assert len(meta_graph.requests_to(f"/download/{announced}")) == 0


async def test_an_unreachable_graph_is_unavailable() -> None:
    connector = make_connector("http://127.0.0.1:9")
    try:
        with pytest.raises(MediaUnavailable):
            await connector.fetch_media(Media("image/jpeg", provider_id="123"))
    finally:
        await connector.aclose()
