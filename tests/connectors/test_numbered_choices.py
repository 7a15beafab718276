"""Numbered choices on SMS, the replies that pick them, and opt-out keywords."""

from __future__ import annotations

import pytest

from connectors.messages import Choice, Outbound
from connectors.sms import render_choices, render_sms, resolve_numbered_reply, sms_keyword

YES_NO_CANCEL = (Choice("Ya", "affirm"), Choice("Tidak", "deny"), Choice("Batal", "cancel"))


def test_choices_are_numbered_with_an_indonesian_hint() -> None:
    outbound = Outbound("tel:+6281234567890", "Apakah laporan ini rahasia?", YES_NO_CANCEL)
    assert render_sms(outbound) == (
        "Apakah laporan ini rahasia?\n1. Ya\n2. Tidak\n3. Batal\nBalas 1, 2 atau 3."
    )


@pytest.mark.parametrize(
    ("count", "language", "hint"),
    [
        (1, "id", "Balas 1."),
        (2, "id", "Balas 1 atau 2."),
        (3, "en", "Reply 1, 2 or 3."),
        (4, "id", "Balas 1, 2, 3 atau 4."),
        (7, "id", "Balas angka 1-7."),
        (7, "en", "Reply with a number 1-7."),
        (2, "jv", "Balas 1 atau 2."),  # unknown language: Indonesian
    ],
)
def test_reply_hint(count: int, language: str, hint: str) -> None:
    choices = [Choice(f"Pilihan {n}", f"p{n}") for n in range(count)]
    assert render_choices(choices, language).splitlines()[-1] == hint


def test_choice_titles_become_gsm7_on_sms() -> None:
    outbound = Outbound("tel:+62", "Kategori?", (Choice("Kesehatan 🏥", "health"),))
    assert render_sms(outbound) == "Kategori?\n1. Kesehatan\nBalas 1."


@pytest.mark.parametrize(
    ("reply", "payload"),
    [
        ("2", "deny"),
        (" 2 ", "deny"),
        ("2.", "deny"),
        ("#3", "cancel"),
        ("(1)", "affirm"),
        ("１", "affirm"),  # full-width digit
        ("ya", "affirm"),  # the exact title also picks
        ("TIDAK", "deny"),
        ("0", None),
        ("4", None),
        ("12", None),
        ("2 dan 3", None),
        ("", None),
        ("ya tapi", None),
    ],
)
def test_resolve_numbered_reply(reply: str, payload: str | None) -> None:
    assert resolve_numbered_reply(reply, YES_NO_CANCEL) == payload


def test_resolve_without_choices_is_none() -> None:
    assert resolve_numbered_reply("1", ()) is None


@pytest.mark.parametrize(
    ("text", "keyword"),
    [
        ("STOP", "stop"),
        ("stop", "stop"),
        (" Berhenti. ", "stop"),
        ("UNSUBSCRIBE", "stop"),
        ("START", "start"),
        ("mulai", "start"),
        ("unstop", "start"),
        ("BATAL", None),  # cancels a report, does not opt out
        ("cancel", None),
        ("yes", None),
        ("stop lampu merah rusak", None),  # a complaint, not a keyword
        ("", None),
    ],
)
def test_sms_keyword(text: str, keyword: str | None) -> None:
    assert sms_keyword(text) == keyword


def test_choices_that_are_their_own_numbers_get_only_the_hint() -> None:
    from connectors.messages import Choice
    from connectors.sms import render_choices

    ratings = [Choice(title=str(n), payload=str(n)) for n in range(1, 6)]
    rendered = render_choices(ratings, "id")
    assert "1. 1" not in rendered
    assert rendered.startswith("Balas") and "1" in rendered and "5" in rendered
