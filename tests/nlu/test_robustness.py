"""Any text at all: the parser answers, never raises, and its spans are honest."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nlu.normalize import normalize
from nlu.parser import BuiltinParser
from nlu.types import CATEGORIES, INTENTS
from tests.nlu.conftest import NOW

PIECES = st.sampled_from(
    [
        "gk", "tdk", "blm", "ora", "jln", "Bogor", "di", "kota", "kab.", "rt 03/05", "kmrn",
        "tgl 31", "LPR-7K3M9QX2", "0812-3456-7890", "3201011508950001", "😡", "\u200b",
        "\u202e", "ＪＬＮ", "ﬁ", "İ", "\x00", "\n", "!!!", "Jl.", "no", "kel", "desa",
    ]
)  # fmt: skip
TEXTS = st.one_of(
    st.text(max_size=200),
    st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=30).map(" ".join),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXTS)
def test_any_text_parses_with_spans_into_the_original(parser: BuiltinParser, text: str) -> None:
    result = parser.parse(text, NOW)
    assert result.text == text
    assert result.intent in INTENTS
    assert result.category is None or result.category in CATEGORIES
    for entity in result.entities:
        assert 0 <= entity.start <= entity.end <= len(text)
        assert text[entity.start : entity.end] == entity.text
    assert result.incident_date is None or result.incident_date <= NOW.date()


@given(st.lists(st.sampled_from(["gk", "tdk", "ga", "nggak", "blm", "belom", "ora", "teu"])))
def test_negations_survive_normalisation(spellings: list[str]) -> None:
    out = normalize(" ".join(spellings)).split()
    assert out.count("tidak") + out.count("belum") == len(spellings)
