"""Whatever reaches ``/webhooks/kannel``, ``parse`` answers or raises a 4xx."""

from __future__ import annotations

from urllib.parse import quote

import httpx
from hypothesis import given
from hypothesis import strategies as st

from connectors.base import WebhookRequest
from connectors.messages import Inbound
from tests.connectors.kannel.conftest import SECRET, WEBHOOK_URL, make_kannel
from tests.support.fuzz import fuzz_settings, parsed_or_4xx

CONNECTOR = make_kannel(httpx.AsyncClient())
FIELDS = ["sender", "receiver", "text", "id", "coding", "charset", "status", "sig"]
VALUES = st.one_of(
    st.text(max_size=40),
    st.binary(max_size=60).map(lambda b: quote(b, safe="")),  # raw bytes, as %b sends
    st.sampled_from(["+6281234567890", "081234567890", "0", "2", "UTF-16BE", "8-BIT", "1"]),
    st.integers(min_value=1_000, max_value=20_000).map(lambda n: "z" * n),
)
FUZZ = fuzz_settings(max_examples=200)


def _parse(request: WebhookRequest) -> None:
    for item in parsed_or_4xx(CONNECTOR, request):
        if isinstance(item, Inbound):
            assert item.address.startswith("tel:+")


@FUZZ
@given(
    params=st.dictionaries(st.one_of(st.sampled_from(FIELDS), st.text(max_size=8)), VALUES),
    with_secret=st.booleans(),
    method=st.sampled_from(["GET", "POST", "PUT"]),
)
def test_arbitrary_parameters_are_4xx(params: dict[str, str], with_secret: bool, method: str) -> None:
    if with_secret:
        params["secret"] = SECRET
    query = "&".join(f"{quote(k)}={v}" for k, v in params.items())
    _parse(WebhookRequest(method, f"{WEBHOOK_URL}?{query}", {}, b""))


@FUZZ
@given(query=st.text(max_size=500))
def test_arbitrary_query_strings_are_4xx(query: str) -> None:
    _parse(WebhookRequest("GET", f"{WEBHOOK_URL}?{query}&secret={SECRET}", {}, b""))


@FUZZ
@given(status=st.text(max_size=12), message_id=st.text(max_size=40))
def test_arbitrary_delivery_reports_are_4xx(status: str, message_id: str) -> None:
    url = CONNECTOR.dlr_url_for(quote(message_id, safe="")).replace("%d", quote(status))
    _parse(WebhookRequest("GET", url, {}, b""))
