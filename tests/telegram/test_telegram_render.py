"""Splitting long texts and building keyboards (pure functions)."""

from __future__ import annotations

import pytest
from telegram import InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove

from connectors.messages import Ask, Choice, Outbound
from connectors.telegram.render import KeyboardLabels, render_markup, split_text, utf16_len


def test_short_text_is_one_part() -> None:
    assert split_text("Halo, ada yang bisa kami bantu?") == ["Halo, ada yang bisa kami bantu?"]


def test_split_prefers_paragraphs() -> None:
    first, second = "a" * 60, "b" * 30
    assert split_text(f"{first}\n\n{second}", limit=80) == [first, second]


def test_split_prefers_lines_over_words() -> None:
    text = "kata " * 10 + "\n" + "lain " * 10
    parts = split_text(text.strip(), limit=60)
    assert parts[0] == ("kata " * 10).strip()
    assert all(utf16_len(part) <= 60 for part in parts)


def test_split_on_words_keeps_every_word() -> None:
    text = " ".join(f"kata{i}" for i in range(400))
    parts = split_text(text, limit=100)
    assert all(utf16_len(part) <= 100 for part in parts)
    assert " ".join(parts).split() == text.split()


def test_a_word_longer_than_the_limit_is_cut() -> None:
    parts = split_text("x" * 250, limit=100)
    assert [len(part) for part in parts] == [100, 100, 50]


def test_emoji_count_twice_and_are_never_cut_in_half() -> None:
    text = "😀" * 100  # 200 UTF-16 units
    parts = split_text(text, limit=51)
    assert all(utf16_len(part) <= 51 for part in parts)
    assert "".join(parts) == text


def test_whitespace_only_overflow_makes_no_empty_part() -> None:
    parts = split_text("a" + " " * 300 + "b", limit=100)
    assert parts == ["a", "b"]


def test_choices_become_an_inline_keyboard_one_per_row() -> None:
    outbound = Outbound("telegram:1", "Pilih", choices=(Choice("Ya", "yes"), Choice("Tidak", "no")))
    markup = render_markup(outbound, KeyboardLabels())
    assert isinstance(markup, InlineKeyboardMarkup)
    rows = [[(b.text, b.callback_data) for b in row] for row in markup.inline_keyboard]
    assert rows == [[("Ya", "yes")], [("Tidak", "no")]]


@pytest.mark.parametrize("payload", ["", "x" * 65, "é" * 33])
def test_payload_must_fit_64_bytes(payload: str) -> None:
    outbound = Outbound("telegram:1", "Pilih", choices=(Choice("Ya", payload),))
    with pytest.raises(ValueError, match="payload"):
        render_markup(outbound, KeyboardLabels())


def test_location_ask_offers_the_location_button_and_the_choices() -> None:
    labels = KeyboardLabels(location="📍 Lokasi", location_hint="Atau ketik alamat")
    choices = (Choice("Lewati", "skip"),)
    outbound = Outbound("telegram:1", "Di mana?", choices=choices, ask=Ask.LOCATION)
    markup = render_markup(outbound, labels)
    assert isinstance(markup, ReplyKeyboardMarkup)
    first, second = markup.keyboard
    assert (first[0].text, first[0].request_location) == ("📍 Lokasi", True)
    assert second[0].text == "Lewati"
    assert markup.one_time_keyboard and markup.resize_keyboard
    assert markup.input_field_placeholder == "Atau ketik alamat"


def test_contact_ask_offers_the_contact_button() -> None:
    markup = render_markup(Outbound("telegram:1", "Nomor?", ask=Ask.CONTACT), KeyboardLabels())
    assert isinstance(markup, ReplyKeyboardMarkup)
    assert markup.keyboard[0][0].request_contact is True


def test_plain_text_removes_a_reply_keyboard() -> None:
    markup = render_markup(Outbound("telegram:1", "Terima kasih"), KeyboardLabels())
    assert isinstance(markup, ReplyKeyboardRemove)
