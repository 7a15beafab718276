"""Sends through the real httpx client to the fake Graph API, and what errors become."""

from __future__ import annotations

import logging

import pytest

from connectors.messages import Ask, Choice, Outbound, SendOutcome, Template
from connectors.meta_whatsapp import MetaWhatsAppConnector
from tests.connectors.meta_whatsapp.conftest import make_connector
from tests.fakes.meta_graph import PHONE_NUMBER_ID, TOKEN, FakeMetaGraph

BUDI = "whatsapp:+6281234567890"
TO = "6281234567890"
CATEGORIES = tuple(
    Choice(title, f"category:{index}")
    for index, title in enumerate(
        [
            "Infrastruktur",
            "Kesehatan",
            "Pendidikan",
            "Kependudukan",
            "Lingkungan Hidup dan Kehutanan",
            "Ketertiban Umum",
            "Perhubungan",
            "Ketenagakerjaan",
            "Sosial",
            "Pertanahan",
            "Perpajakan",
            "Energi dan Sumber Daya Mineral",
            "Pertanian dan Peternakan",
            "Kebencanaan",
            "Lainnya",
        ]
    )
)


async def test_text(connector: MetaWhatsAppConnector, meta_graph: FakeMetaGraph) -> None:
    result = await connector.send(Outbound(BUDI, "Laporan Anda sudah kami terima."))
    [sent] = meta_graph.messages
    assert result.outcome is SendOutcome.SENT
    assert result.provider_message_ids == (sent.id,)
    assert sent.body["messaging_product"] == "whatsapp"
    assert sent.to == TO
    assert sent.body["type"] == "text"
    assert sent.body["text"]["body"] == "Laporan Anda sudah kami terima."
    [request] = meta_graph.requests
    assert request.path == f"/v21.0/{PHONE_NUMBER_ID}/messages"
    assert request.bearer == TOKEN


async def test_long_text_is_split_at_4096(
    connector: MetaWhatsAppConnector, meta_graph: FakeMetaGraph
) -> None:
    text = " ".join(["kata"] * 2000)  # 9,999 characters
    result = await connector.send(Outbound(BUDI, text))
    bodies = [m.body["text"]["body"] for m in meta_graph.messages]
    assert result.ok and len(result.provider_message_ids) == 3
    assert all(len(body) <= 4096 for body in bodies)
    assert " ".join(bodies) == text


async def test_three_short_choices_are_reply_buttons(
    connector: MetaWhatsAppConnector, meta_graph: FakeMetaGraph
) -> None:
    choices = (Choice("Ya", "affirm"), Choice("Tidak", "deny"), Choice("Ubah data", "edit"))
    result = await connector.send(Outbound(BUDI, "Apakah data ini benar?", choices))
    [sent] = meta_graph.messages
    interactive = sent.body["interactive"]
    assert result.ok
    assert interactive["type"] == "button"
    assert interactive["body"] == {"text": "Apakah data ini benar?"}
    assert [b["reply"] for b in interactive["action"]["buttons"]] == [
        {"id": "affirm", "title": "Ya"},
        {"id": "deny", "title": "Tidak"},
        {"id": "edit", "title": "Ubah data"},
    ]


async def test_a_long_title_makes_a_list(connector: MetaWhatsAppConnector, meta_graph: FakeMetaGraph) -> None:
    choices = (Choice("Ya", "affirm"), Choice("Tidak, saya ingin mengubah", "deny"))
    result = await connector.send(Outbound(BUDI, "Benar?", choices, language="en"))
    [sent] = meta_graph.messages
    interactive = sent.body["interactive"]
    assert result.ok
    assert interactive["type"] == "list"
    assert interactive["action"]["button"] == "Choose"
    rows = interactive["action"]["sections"][0]["rows"]
    assert rows[1]["id"] == "deny"
    assert len(rows[1]["title"]) <= 24
    assert rows[1]["description"] == "Tidak, saya ingin mengubah"


async def test_fifteen_categories_are_two_lists(
    connector: MetaWhatsAppConnector, meta_graph: FakeMetaGraph
) -> None:
    result = await connector.send(Outbound(BUDI, "Pilih kategori laporan Anda:", CATEGORIES))
    pages = [m.body["interactive"] for m in meta_graph.messages]
    assert result.ok and len(result.provider_message_ids) == 2
    assert [page["type"] for page in pages] == ["list", "list"]
    assert [page["body"]["text"] for page in pages] == ["Pilih kategori laporan Anda:", "Pilihan lainnya:"]
    assert {page["action"]["button"] for page in pages} == {"Pilih"}
    rows = [row for page in pages for row in page["action"]["sections"][0]["rows"]]
    assert [len(page["action"]["sections"][0]["rows"]) for page in pages] == [10, 5]
    assert [row["id"] for row in rows] == [choice.payload for choice in CATEGORIES]


async def test_long_text_with_choices_goes_first_as_text(
    connector: MetaWhatsAppConnector, meta_graph: FakeMetaGraph
) -> None:
    """Interactive bodies hold 1,024 characters: the rest of the text is sent before."""
    intro = "Ringkasan laporan: " + "jalan rusak " * 150
    text = intro + "\n\nApakah data ini benar?"
    result = await connector.send(Outbound(BUDI, text, (Choice("Ya", "affirm"), Choice("Tidak", "deny"))))
    first, second = meta_graph.messages
    assert result.ok
    assert first.body["text"]["body"] == intro.strip()
    assert second.body["interactive"]["body"]["text"] == "Apakah data ini benar?"


async def test_ask_location_sends_a_location_request(
    connector: MetaWhatsAppConnector, meta_graph: FakeMetaGraph
) -> None:
    result = await connector.send(Outbound(BUDI, "Di mana lokasinya?", ask=Ask.LOCATION))
    [sent] = meta_graph.messages
    assert result.ok
    assert sent.body["interactive"] == {
        "type": "location_request_message",
        "body": {"text": "Di mana lokasinya?"},
        "action": {"name": "send_location"},
    }


async def test_template(connector: MetaWhatsAppConnector, meta_graph: FakeMetaGraph) -> None:
    template = Template("status_update", {"2": "Sedang diproses", "1": "LPR-7K3M9QXA2"})
    result = await connector.send(Outbound(BUDI, "ignored outside the window", template=template))
    [sent] = meta_graph.messages
    assert result.ok
    assert sent.body["type"] == "template"
    assert sent.body["template"] == {
        "name": "lapor_status_update",
        "language": {"code": "id"},
        "components": [
            {
                "type": "body",
                "parameters": [
                    {"type": "text", "text": "LPR-7K3M9QXA2"},
                    {"type": "text", "text": "Sedang diproses"},
                ],
            }
        ],
    }


async def test_unknown_template_fails_without_calling_meta(
    connector: MetaWhatsAppConnector, meta_graph: FakeMetaGraph
) -> None:
    result = await connector.send(Outbound(BUDI, "x", template=Template("nope")))
    assert result.outcome is SendOutcome.FAILED
    assert meta_graph.requests == []


@pytest.mark.parametrize("address", ["tel:+6281234567890", "whatsapp:budi", "whatsapp:6281234567890"])
async def test_not_a_whatsapp_number_is_unreachable(
    connector: MetaWhatsAppConnector, meta_graph: FakeMetaGraph, address: str
) -> None:
    result = await connector.send(Outbound(address, "Halo"))
    assert result.outcome is SendOutcome.UNREACHABLE
    assert meta_graph.requests == []


# code -> (outcome, retry_after)
ERRORS: dict[int, tuple[SendOutcome, float | None]] = {
    131047: (SendOutcome.OUTSIDE_WINDOW, None),
    130429: (SendOutcome.RATE_LIMITED, 1.0),
    131056: (SendOutcome.RATE_LIMITED, 6.0),
    131026: (SendOutcome.FAILED, None),
    131051: (SendOutcome.FAILED, None),
    131050: (SendOutcome.OPTED_OUT, None),
    190: (SendOutcome.RETRY, None),
    131000: (SendOutcome.RETRY, None),
    100: (SendOutcome.FAILED, None),
}


@pytest.mark.parametrize("code", sorted(ERRORS))
async def test_error_codes(connector: MetaWhatsAppConnector, meta_graph: FakeMetaGraph, code: int) -> None:
    meta_graph.fail_next(code, 401 if code == 190 else 400)
    result = await connector.send(Outbound(BUDI, "Halo"))
    assert (result.outcome, result.retry_after) == ERRORS[code]
    assert result.error is not None and str(code) in result.error
    assert result.provider_message_ids == ()


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_server_errors_are_retried(
    connector: MetaWhatsAppConnector, meta_graph: FakeMetaGraph, status: int
) -> None:
    meta_graph.server_error(status)
    result = await connector.send(Outbound(BUDI, "Halo"))
    assert result.outcome is SendOutcome.RETRY


async def test_a_refused_token_alerts_the_operator_without_the_token(
    connector: MetaWhatsAppConnector, meta_graph: FakeMetaGraph, caplog: pytest.LogCaptureFixture
) -> None:
    meta_graph.fail_next(190, 401)
    with caplog.at_level(logging.WARNING):
        result = await connector.send(Outbound(BUDI, "Halo"))
    alerts = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert result.outcome is SendOutcome.RETRY
    assert alerts and "LAPOR_META_TOKEN" in alerts[0].getMessage()
    assert TOKEN not in caplog.text and TOKEN not in (result.error or "")


async def test_a_wrong_token_is_refused_by_the_fake_and_kept(meta_graph: FakeMetaGraph) -> None:
    connector = make_connector(meta_graph.url, token="EAAexpired")
    try:
        result = await connector.send(Outbound(BUDI, "Halo"))
    finally:
        await connector.aclose()
    assert result.outcome is SendOutcome.RETRY
    assert meta_graph.messages == []


async def test_network_errors_are_retried() -> None:
    connector = make_connector("http://127.0.0.1:9")  # nothing listens on the discard port
    try:
        result = await connector.send(Outbound(BUDI, "Halo"))
    finally:
        await connector.aclose()
    assert result.outcome is SendOutcome.RETRY
    assert result.error is not None and "unreachable" in result.error


async def test_parts_sent_before_a_refusal_are_reported(
    connector: MetaWhatsAppConnector, meta_graph: FakeMetaGraph
) -> None:
    """The first list goes out, then Meta refuses the second page."""
    meta_graph.fail_next(131026, after=1)
    result = await connector.send(Outbound(BUDI, "Pilih:", CATEGORIES))
    [sent] = meta_graph.messages
    assert result.outcome is SendOutcome.FAILED
    assert result.provider_message_ids == (sent.id,)
