"""Rendering an Outbound as Cloud API messages (pure: no network)."""

from __future__ import annotations

from typing import Any

import pytest

from connectors.messages import Ask, Choice, Media, Outbound, Template
from connectors.meta_whatsapp.render import (
    MAX_INTERACTIVE_BODY,
    ApprovedTemplate,
    Unsendable,
    render,
    shorten,
    split_tail,
    split_text,
)

BUDI = "whatsapp:+6281234567890"
TEMPLATES = {"status_update": ApprovedTemplate("lapor_status_update", "id")}


def kinds(messages: list[dict[str, Any]]) -> list[str]:
    return [m["interactive"]["type"] if m["type"] == "interactive" else m["type"] for m in messages]


def choices(*titles: str) -> tuple[Choice, ...]:
    return tuple(Choice(title, f"c{index}") for index, title in enumerate(titles))


@pytest.mark.parametrize(
    ("titles", "kind"),
    [
        (("Ya",), "button"),
        (("Ya", "Tidak", "Ubah"), "button"),
        (("a" * 20, "b"), "button"),
        (("a" * 21, "b"), "list"),
        (("Satu", "Dua", "Tiga", "Empat"), "list"),
        (("", "Dua"), "list"),  # a button needs a title; a row falls back to the payload
    ],
)
def test_buttons_or_a_list(titles: tuple[str, ...], kind: str) -> None:
    assert kinds(render(Outbound(BUDI, "Pilih:", choices(*titles)), {})) == [kind]


@pytest.mark.parametrize(("count", "pages"), [(10, [10]), (11, [10, 1]), (15, [10, 5]), (21, [10, 10, 1])])
def test_lists_are_paged_by_ten(count: int, pages: list[int]) -> None:
    messages = render(Outbound(BUDI, "Pilih:", choices(*(f"Pilihan {n}" for n in range(count)))), {})
    rows = [len(m["interactive"]["action"]["sections"][0]["rows"]) for m in messages]
    assert rows == pages


def test_a_long_row_title_is_cut_and_given_whole_below() -> None:
    title = "Lingkungan Hidup dan Kehutanan"
    [message] = render(Outbound(BUDI, "Pilih:", choices(title, "b", "c", "d")), {})
    row = message["interactive"]["action"]["sections"][0]["rows"][0]
    assert row["title"] == "Lingkungan Hidup dan Ke…"
    assert len(row["title"]) == 24
    assert row["description"] == title


def test_shorten() -> None:
    assert shorten("pendek", 24) == "pendek"
    assert shorten("a" * 30, 24) == "a" * 23 + "…"
    assert len(shorten("x" * 100, 72)) == 72


@pytest.mark.parametrize(
    "bad",
    [
        (Choice("Ya", "same"), Choice("Tidak", "same")),
        (Choice("Ya", ""),),
        (Choice("Ya", "p" * 201),),
    ],
    ids=["duplicate", "empty", "too-long"],
)
def test_unsendable_payloads(bad: tuple[Choice, ...]) -> None:
    with pytest.raises(Unsendable):
        render(Outbound(BUDI, "Pilih:", bad), {})


def test_empty_text_without_choices_is_unsendable() -> None:
    with pytest.raises(Unsendable):
        render(Outbound(BUDI, "   "), {})


@pytest.mark.parametrize(
    ("language", "label", "body"),
    [
        ("id", "Pilih", "Silakan pilih:"),
        ("en", "Choose", "Please choose:"),
        ("jv", "Pilih", "Silakan pilih:"),
    ],
)
def test_the_connectors_own_words_follow_the_language(language: str, label: str, body: str) -> None:
    [message] = render(Outbound(BUDI, "", choices(*"abcd"), language=language), {})
    assert message["interactive"]["action"]["button"] == label
    assert message["interactive"]["body"]["text"] == body


def test_location_request_then_choices() -> None:
    outbound = Outbound(BUDI, "Kirim lokasi:", choices("Lewati"), ask=Ask.LOCATION, language="en")
    messages = render(outbound, {})
    assert kinds(messages) == ["location_request_message", "button"]
    assert messages[1]["interactive"]["body"]["text"] == "Or choose:"


def test_template_variables_in_numeric_order_and_none_without() -> None:
    variables = {str(n): f"v{n}" for n in (10, 2, 1)}
    [message] = render(Outbound(BUDI, "x", template=Template("status_update", variables)), TEMPLATES)
    parameters = message["template"]["components"][0]["parameters"]
    assert [p["text"] for p in parameters] == ["v1", "v2", "v10"]
    [bare] = render(Outbound(BUDI, "x", template=Template("status_update")), TEMPLATES)
    assert "components" not in bare["template"]


def test_media_goes_by_link_after_the_text() -> None:
    photo = Media("image/jpeg", url="https://lapor.example.go.id/m/1.jpg")
    pdf = Media("application/pdf", url="https://lapor.example.go.id/m/2.pdf", filename="bukti.pdf")
    messages = render(Outbound(BUDI, "Lampiran:", media=(photo, pdf)), {})
    assert kinds(messages) == ["text", "image", "document"]
    assert messages[2]["document"] == {"link": pdf.url, "filename": "bukti.pdf"}


def test_split_text_prefers_paragraphs_then_lines_then_words() -> None:
    text = "a" * 3000 + "\n\n" + "b" * 3000
    assert split_text(text, 4096) == ["a" * 3000, "b" * 3000]
    words = " ".join(["kata"] * 2000)
    parts = split_text(words, 4096)
    assert all(len(part) <= 4096 for part in parts) and " ".join(parts) == words
    assert split_text("x" * 5000, 4096) == ["x" * 4096, "x" * 904]


def test_split_tail_keeps_the_end_for_the_interactive_body() -> None:
    head, tail = split_tail("awal " * 300 + "\n\nApakah benar?", MAX_INTERACTIVE_BODY)
    assert tail == "Apakah benar?"
    assert head == ("awal " * 300).strip()
    assert split_tail("pendek", MAX_INTERACTIVE_BODY) == ("", "pendek")
    head, tail = split_tail("y" * 1500, MAX_INTERACTIVE_BODY)
    assert (len(head), len(tail)) == (476, 1024)
