"""The title proposed for officers is the first sentence, not cut at an abbreviation."""

from __future__ import annotations

import pytest

from bot.intake.turn_records import TITLE_LIMIT, propose_title


@pytest.mark.parametrize(
    ("description", "title"),
    [
        ("Lampu jalan di Jl. Merdeka mati. Sudah seminggu.", "Lampu jalan di Jl. Merdeka mati"),
        ("Sampah di Gg. Mawar No. 5 menumpuk", "Sampah di Gg. Mawar No. 5 menumpuk"),
        ("Jalan rusak\nsudah lama sekali", "Jalan rusak"),
    ],
)
def test_first_sentence_survives_address_abbreviations(description: str, title: str) -> None:
    assert propose_title(description) == title


def test_long_first_sentence_is_cut_at_a_word() -> None:
    title = propose_title("kata " * 40)
    assert len(title) <= TITLE_LIMIT and title.endswith("…") and not title.endswith(" …")
