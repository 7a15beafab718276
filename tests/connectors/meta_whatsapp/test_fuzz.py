"""Whatever reaches the Meta webhook, ``parse`` answers or raises a 4xx ``WebhookRejected``."""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from connectors.base import WebhookRequest
from connectors.messages import Inbound
from tests.connectors.meta_whatsapp.conftest import make_connector
from tests.fakes.meta_graph import WEBHOOK_URL, FakeMetaGraph, recorded_payload
from tests.fuzz import fuzz_settings, parsed_or_4xx

GRAPH = FakeMetaGraph()  # never started: only signs
CONNECTOR = make_connector()  # never sends
FUZZ = fuzz_settings(max_examples=200)
BASES = [
    "text",
    "button_reply",
    "list_reply",
    "location",
    "image",
    "document",
    "audio",
    "template_button",
    "batch_two_messages",
    "status_failed_131047",
    "status_read",
]
JSON_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["", "6281234567890", "+62", "text", "interactive", "image", "failed", "read", "1e400"]),
    st.integers(min_value=5_000, max_value=20_000).map(lambda n: "y" * n),
)
JSON_VALUES = st.recursive(
    JSON_LEAVES,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)


def _parse(request: WebhookRequest) -> None:
    for item in parsed_or_4xx(CONNECTOR, request):
        if isinstance(item, Inbound):
            assert item.address.startswith("whatsapp:+")
            assert item.external_id


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside ``node``."""
    found: list[tuple[Any, ...]] = [prefix]
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
    for key, child in children:
        found.extend(_paths(child, (*prefix, key)))
    return found


def _replaced(payload: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    changed = copy.deepcopy(payload)
    target = changed
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return changed


@FUZZ
@given(base=st.sampled_from(BASES), data=st.data(), value=JSON_VALUES)
def test_signed_but_mangled_payloads_are_4xx(base: str, data: st.DataObject, value: Any) -> None:
    payload = recorded_payload(base)
    path = data.draw(st.sampled_from(_paths(payload)))
    mangled = _replaced(payload, path, value)
    _parse(GRAPH.webhook(json.dumps(mangled, allow_nan=True).encode()))


@FUZZ
@given(body=st.binary(max_size=2_000))
def test_signed_garbage_is_4xx(body: bytes) -> None:
    _parse(GRAPH.webhook(body))


@FUZZ
@given(body=st.binary(max_size=2_000), signature=st.text(max_size=300))
def test_unsigned_bodies_are_4xx(body: bytes, signature: str) -> None:
    headers = {"Content-Type": "application/json", "X-Hub-Signature-256": signature}
    _parse(WebhookRequest("POST", WEBHOOK_URL, headers, body))


def test_deeply_nested_json_is_4xx() -> None:
    body = b'{"object": "whatsapp_business_account", "entry": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    _parse(GRAPH.webhook(body))
