"""Log pseudonyms are keyed HMACs: no unkeyed digest of an address, phone, NIK or e-mail is logged."""

from __future__ import annotations

import hashlib
import hmac
import io
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.core.logs import configure
from bot.core.privacy import mask_address
from bot.core.pseudonyms import pseudonym, pseudonym_key
from bot.http.app import create_app
from storage.state import key_digest
from tests.intake.test_concurrency import _index_texts, _key
from tests.support import REST_HEADERS
from tests.support.autopilot import Answers
from tests.support.citizen import RuntimeFactory

SENDER = "6281298765432"  # a REST sender that is itself a phone number: the worst case
ADDRESS = f"rest:{SENDER}"
PHONE = "081234567890"
NIK = "3404010101900001"
EMAIL = "budi.santoso@example.id"
DESCRIPTION = (
    f"jalan berlubang besar di depan pasar Sleman, NIK saya {NIK}, email {EMAIL}, hubungi saya di {PHONE}"
)
UNKEYED = (hashlib.sha256, hashlib.md5, hashlib.sha1)


def _variants() -> set[str]:
    """Each personal value as it might be hashed: raw, with and without scheme or country code."""
    phones = {PHONE, "+62" + PHONE[1:], "62" + PHONE[1:], SENDER, "+" + SENDER, "0" + SENDER[2:]}
    return phones | {ADDRESS, f"tel:+{SENDER}", f"tel:+62{PHONE[1:]}", NIK, EMAIL}


def unkeyed_digest_prefixes() -> dict[str, str]:
    """The first 8 hex digits of every unkeyed digest: any longer prefix contains them."""
    return {
        f"{h().name}({value})": h(value.encode()).hexdigest()[:8] for h in UNKEYED for value in _variants()
    }


def test_an_address_pseudonym_is_a_keyed_hmac_of_64_bits() -> None:
    key = b"k" * 32
    digits = pseudonym(ADDRESS, key)
    assert re.fullmatch(r"[0-9a-f]{16}", digits)
    assert digits == hmac.new(key, ADDRESS.encode(), hashlib.sha256).hexdigest()[:16]
    assert digits != pseudonym(ADDRESS, b"j" * 32)  # without the key, nothing to enumerate against
    masked = mask_address(ADDRESS)
    assert re.fullmatch(r"rest:…[0-9a-f]{16}", masked)
    assert not any(prefix in masked for prefix in unkeyed_digest_prefixes().values())


def test_the_key_comes_from_its_setting_else_the_secret_key_else_chance() -> None:
    assert pseudonym_key("p" * 32, "s" * 32) == pseudonym_key("p" * 32, None)
    assert pseudonym_key(None, "s" * 32) == pseudonym_key(None, "s" * 32)
    assert pseudonym_key(None, "s" * 32) not in {pseudonym_key(None, "t" * 32), b"s" * 32}
    assert pseudonym_key(None, None) != pseudonym_key(None, None)  # a demo: random per process


def test_state_key_digests_are_keyed_too() -> None:
    key = f"conv:{ADDRESS}"
    assert key_digest(key, b"a" * 32) != key_digest(key, b"b" * 32)
    assert len(key_digest(key, b"a" * 32)) == 16
    assert not any(p in key_digest(key, b"a" * 32) for p in unkeyed_digest_prefixes().values())


@pytest.fixture
def state_settings(tmp_path: Path) -> dict[str, Any]:
    return {"state_path": tmp_path / "state.sqlite3"}


@pytest.fixture
def debug_logs() -> Iterator[io.StringIO]:
    """The app's own logging (masking filter, JSON lines) at DEBUG, into a string."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    configure("DEBUG", json_lines=True)
    ours = next(h for h in root.handlers if h.get_name() == "lapor")
    assert isinstance(ours, logging.StreamHandler)
    written = io.StringIO()
    ours.setStream(written)
    yield written
    root.handlers[:] = handlers
    root.setLevel(level)


async def test_no_log_line_of_a_whole_dialogue_holds_personal_data_or_its_unkeyed_digest(
    make_runtime: RuntimeFactory, debug_logs: io.StringIO
) -> None:
    runtime = await make_runtime(secret_key="s3" * 24)
    _index_texts(runtime)
    answers = Answers(description=DESCRIPTION, location="Jl. Kaliurang km 5, Kabupaten Sleman")
    transport = httpx.ASGITransport(app=create_app(runtime=runtime))
    seen: list[str] = []
    async with httpx.AsyncClient(transport=transport, base_url="http://t", headers=REST_HEADERS) as client:
        message = DESCRIPTION
        for _ in range(25):
            body = {"sender": SENDER, "message": message}
            response = await client.post("/webhooks/rest/webhook", json=body)
            assert response.status_code == 200
            seen += [_key(item["text"]) for item in response.json()]
            if "submitted" in seen:
                break
            message = answers.for_key(seen[-1]) or ""
    assert "submitted" in seen, seen

    logged = debug_logs.getvalue().lower()
    assert logged.count('"message": "turn"') >= 5
    assert mask_address(ADDRESS) in logged  # the turns were logged, under their keyed pseudonym
    for value in _variants():
        assert value.lower() not in logged, value
    leaked = {name for name, prefix in unkeyed_digest_prefixes().items() if prefix in logged}
    assert leaked == set()
