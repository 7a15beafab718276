"""E.164 normalisation of Indonesian (and foreign) numbers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from connectors.phone import mask, tel_number, to_e164


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("081234567890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("+6281234567890", "+6281234567890"),
        ("0812-3456-7890", "+6281234567890"),
        ("0812 3456 7890", "+6281234567890"),
        ("(022) 4231234", "+62224231234"),  # a Bandung landline
        ("+85251234567", "+85251234567"),  # a migrant worker in Hong Kong
        ("+14155550100", "+14155550100"),
    ],
)
def test_to_e164(raw: str, e164: str) -> None:
    assert to_e164(raw) == e164


@pytest.mark.parametrize(
    "raw", ["", "abc", "0812abc", "12", "+", "++6281234567890", "1708", "0" * 40, "08123\x00456"]
)
def test_garbage_raises_value_error(raw: str) -> None:
    with pytest.raises(ValueError):
        to_e164(raw)


@settings(max_examples=300, deadline=None, database=None)
@given(st.text(max_size=40))
def test_to_e164_raises_only_value_error(raw: str) -> None:
    try:
        result = to_e164(raw)
    except ValueError:
        return
    assert result.startswith("+")
    assert result[1:].isdigit()


def test_tel_number() -> None:
    assert tel_number("tel:081234567890") == "+6281234567890"
    assert tel_number("whatsapp:+6281234567890") is None
    assert tel_number("tel:garbage") is None


def test_mask_keeps_only_prefix_and_last_digits() -> None:
    assert mask("+6281234567890") == "+628*******890"
    assert "4567" not in mask("+6281234567890")
    assert mask("+1234") == "*****"
