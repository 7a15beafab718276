"""The ``kannel`` connector over recorded get-url calls and a fake sendsms."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from connectors.base import Connector, WebhookRejected, WebhookRequest
from connectors.kannel.connector import KannelConnector
from connectors.messages import (
    Choice,
    DeliveryStatus,
    Inbound,
    Outbound,
    Receipt,
    SendOutcome,
)
from connectors.sms import count_segments, is_gsm7
from tests.kannel.conftest import (
    DLR_URL,
    NOW,
    SENDSMS_URL,
    WEBHOOK_URL,
    FakeSendsms,
    make_kannel,
    recorded_request,
)

CITIZEN = "tel:+6281234567890"


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        (
            "inbound_text",
            Inbound(CITIZEN, "LAPOR jalan rusak", NOW, "0cbd7e8e-2026-4d6f-938c-9869fc7ea460"),
        ),
        (
            "inbound_ucs2",  # UTF-16BE bytes, as Kannel passes a UCS-2 SMS
            Inbound(CITIZEN, "Jalan rusak é 🙏", NOW, "c6a14de5-aea6-475a-8348-246e375c2d5d"),
        ),
        (
            "inbound_spaces",  # %b keeps the text exactly as typed
            Inbound(CITIZEN, "Harga 50%  naik @ pasar é", NOW, "ef5959c1-931e-4f26-9980-b8936fa50232"),
        ),
        (
            "inbound_national",  # an SMSC that sends 08... numbers
            Inbound(CITIZEN, "STATUS LPR-7K2M-9QX4", NOW, "87408835-1d89-4eb8-a679-9af34e125e03"),
        ),
    ],
)
def test_parse_recorded_get_url_calls(kannel: KannelConnector, fixture: str, expected: Inbound) -> None:
    assert kannel.parse(recorded_request(fixture)) == [expected]


def test_is_a_connector(kannel: KannelConnector) -> None:
    assert isinstance(kannel, Connector)
    assert (kannel.name, kannel.schemes) == ("kannel", ("tel",))
    assert kannel.acknowledge([]).body == b""  # never an SMS back from the HTTP answer


@pytest.mark.parametrize("secret", ["", "wrong-secret-0123456789", "kannel-shared-secret-012345678"])
def test_wrong_secret_is_403(kannel: KannelConnector, secret: str) -> None:
    with pytest.raises(WebhookRejected) as caught:
        kannel.parse(recorded_request("inbound_text", secret=secret))
    assert caught.value.status == 403


def test_missing_secret_is_403(kannel: KannelConnector) -> None:
    query = "sender=%2B6281234567890&text=hi&id=abc"
    with pytest.raises(WebhookRejected) as caught:
        kannel.parse(WebhookRequest("GET", f"{WEBHOOK_URL}?{query}", {}, b""))
    assert caught.value.status == 403


def test_decoded_query_is_used_when_the_url_has_none(kannel: KannelConnector) -> None:
    query = {"sender": "+6281234567890", "text": "halo", "id": "abc-1", "secret": "x" * 31}
    query["secret"] = "kannel-shared-secret-0123456789"
    [inbound] = kannel.parse(WebhookRequest("POST", WEBHOOK_URL, {}, b"", query))
    assert isinstance(inbound, Inbound)
    assert (inbound.address, inbound.text) == (CITIZEN, "halo")


@pytest.mark.parametrize(
    "query",
    [
        "sender=TELKOMSEL&text=promo&id=abc",
        "sender=&text=hi&id=abc",
        "sender=%2B6281234567890&text=hi",
        "sender=%2B6281234567890&text=hi&id=a%20b",
        "sender=%2B6281234567890&text=hi&id=abc&charset=EBCDIC",
        "sender=%2B6281234567890&text=hi&id=abc&text=again",
        "sender=%2B6281234567890&id=abc&text=" + "x" * 9000,
        "sender=%2B6281234567890&id=abc&text=hi&" + "&".join(f"k{i}=v" for i in range(30)),
    ],
)
def test_malformed_calls_are_400(kannel: KannelConnector, query: str) -> None:
    url = f"{WEBHOOK_URL}?{query}&secret=kannel-shared-secret-0123456789"
    with pytest.raises(WebhookRejected) as caught:
        kannel.parse(WebhookRequest("GET", url, {}, b""))
    assert caught.value.status == 400


def test_empty_sms_is_marked_unsupported(kannel: KannelConnector) -> None:
    query = "sender=%2B6281234567890&text=&id=abc&secret=kannel-shared-secret-0123456789"
    [inbound] = kannel.parse(WebhookRequest("GET", f"{WEBHOOK_URL}?{query}", {}, b""))
    assert isinstance(inbound, Inbound)
    assert inbound.unsupported == "empty"


def dlr_request(connector: KannelConnector, message_id: str, status: str) -> WebhookRequest:
    """The call Kannel makes to our dlr-url once ``%d`` is filled in."""
    return WebhookRequest("GET", connector.dlr_url_for(message_id).replace("%d", status), {}, b"")


@pytest.mark.parametrize(
    ("code", "status", "error"),
    [
        ("1", DeliveryStatus.DELIVERED, None),
        ("2", DeliveryStatus.UNDELIVERED, "2"),
        ("4", DeliveryStatus.SENT, None),
        ("8", DeliveryStatus.SENT, None),
        ("16", DeliveryStatus.FAILED, "16"),
    ],
)
def test_delivery_reports(
    kannel: KannelConnector, code: str, status: DeliveryStatus, error: str | None
) -> None:
    assert kannel.parse(dlr_request(kannel, "a1b2c3", code)) == [Receipt("a1b2c3", status, error)]


def test_delivery_report_url_carries_no_secret(kannel: KannelConnector) -> None:
    url = kannel.dlr_url_for("a1b2c3")
    assert url.startswith(f"{DLR_URL}?id=a1b2c3&sig=")
    assert url.endswith("&status=%d")
    assert "kannel-shared-secret" not in url


@pytest.mark.parametrize("tamper", ["sig", "id"])
def test_forged_delivery_report_is_403(kannel: KannelConnector, tamper: str) -> None:
    url = kannel.dlr_url_for("a1b2c3").replace("%d", "1")
    forged = url.replace("sig=", "sig=0") if tamper == "sig" else url.replace("a1b2c3", "a1b2c4")
    with pytest.raises(WebhookRejected) as caught:
        kannel.parse(WebhookRequest("GET", forged, {}, b""))
    assert caught.value.status == 403


@pytest.mark.parametrize("code", ["3", "0", "x", "", "99999999999999999999"])
def test_unknown_delivery_status_is_400(kannel: KannelConnector, code: str) -> None:
    with pytest.raises(WebhookRejected) as caught:
        kannel.parse(dlr_request(kannel, "a1b2c3", code))
    assert caught.value.status == 400


def test_short_secret_refuses_to_start() -> None:
    with pytest.raises(ValueError):
        make_kannel(httpx.AsyncClient(), secret="short")


async def test_send_through_sendsms(kannel: KannelConnector, sendsms: FakeSendsms) -> None:
    outbound = Outbound(
        CITIZEN,
        "Apakah laporan Anda bersifat rahasia? “Rahasia” berarti tidak dipublikasikan 🔒",
        choices=(Choice("Ya", "affirm"), Choice("Tidak", "deny")),
    )
    result = await kannel.send(outbound)
    [request] = sendsms.requests
    assert result.outcome is SendOutcome.SENT
    [message_id] = result.provider_message_ids
    assert str(request.url) == SENDSMS_URL  # no password, no number in the URL
    assert request.method == "POST"
    headers = request.headers
    assert (headers["X-Kannel-Username"], headers["X-Kannel-From"]) == ("lapor", "1708")
    assert headers["X-Kannel-To"] == "+6281234567890"
    assert (headers["X-Kannel-Coding"], headers["X-Kannel-DLR-Mask"]) == ("0", "31")
    assert headers["X-Kannel-DLR-Url"] == kannel.dlr_url_for(message_id)
    text = request.content.decode("utf-8")
    assert text.endswith("\n1. Ya\n2. Tidak\nBalas 1 atau 2.")
    assert '"Rahasia"' in text
    assert is_gsm7(text)
    assert count_segments(text).count <= 2


async def test_delivery_report_matches_the_sent_message(
    kannel: KannelConnector, sendsms: FakeSendsms
) -> None:
    result = await kannel.send(Outbound(CITIZEN, "Laporan diterima."))
    dlr_url = sendsms.requests[0].headers["X-Kannel-DLR-Url"].replace("%d", "1")
    [receipt] = kannel.parse(WebhookRequest("GET", dlr_url, {}, b""))
    assert receipt == Receipt(result.provider_message_ids[0], DeliveryStatus.DELIVERED)
    assert parse_qs(urlsplit(dlr_url).query)["status"] == ["1"]


@pytest.mark.parametrize(
    ("status", "outcome"),
    [(202, SendOutcome.SENT), (503, SendOutcome.RETRY), (400, SendOutcome.FAILED)],
)
async def test_sendsms_answers_map_to_outcomes(
    kannel: KannelConnector, sendsms: FakeSendsms, status: int, outcome: SendOutcome
) -> None:
    sendsms.status = status
    assert (await kannel.send(Outbound(CITIZEN, "Halo"))).outcome is outcome


async def test_wrong_sendsms_password_fails(sendsms: FakeSendsms) -> None:
    http = httpx.AsyncClient(transport=httpx.MockTransport(sendsms))
    connector = make_kannel(http, password="wrong")
    try:
        result = await connector.send(Outbound(CITIZEN, "Halo"))
    finally:
        await connector.aclose()
    assert result.outcome is SendOutcome.FAILED
    assert "wrong" not in (result.error or "")


async def test_kannel_down_is_retried() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    connector = make_kannel(httpx.AsyncClient(transport=httpx.MockTransport(refuse)))
    try:
        result = await connector.send(Outbound(CITIZEN, "Halo"))
    finally:
        await connector.aclose()
    assert result.outcome is SendOutcome.RETRY


async def test_non_tel_address_is_unreachable(kannel: KannelConnector, sendsms: FakeSendsms) -> None:
    result = await kannel.send(Outbound("whatsapp:+6281234567890", "Halo"))
    assert result.outcome is SendOutcome.UNREACHABLE
    assert sendsms.requests == []
