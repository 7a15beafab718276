"""The demo page's WhatsApp phone, from the real renderer."""

from __future__ import annotations

from connectors.messages import Choice, Outbound, Template
from connectors.meta_whatsapp import preview

BUDI = "whatsapp:+6281234567890"


def test_text_is_one_bubble_without_buttons() -> None:
    assert preview(Outbound(BUDI, "Halo"), "id") == {"bubbles": [{"text": "Halo"}], "buttons": []}


def test_reply_buttons() -> None:
    shown = preview(Outbound(BUDI, "Benar?", (Choice("Ya", "affirm"), Choice("Tidak", "deny"))), "id")
    assert shown["bubbles"] == [{"text": "Benar?"}]
    assert shown["buttons"] == [
        {"kind": "reply", "title": "Ya", "payload": "affirm", "bubble": 0},
        {"kind": "reply", "title": "Tidak", "payload": "deny", "bubble": 0},
    ]


def test_fifteen_choices_are_two_list_bubbles_in_the_pages_language() -> None:
    choices = tuple(Choice(f"Kategori {n}", f"category:{n}") for n in range(15))
    shown = preview(Outbound(BUDI, "Pilih kategori:", choices, language="id"), "en")
    assert shown["bubbles"] == [{"text": "Pilih kategori:"}, {"text": "More choices:"}]
    assert [b["bubble"] for b in shown["buttons"]] == [0] * 10 + [1] * 5
    assert {b["list"] for b in shown["buttons"]} == {"Choose"}
    assert [b["payload"] for b in shown["buttons"]] == [c.payload for c in choices]


def test_a_template_shows_its_key_and_variables() -> None:
    template = Template("status_update", {"1": "LPR-7K3M9QXA2", "2": "Selesai"})
    shown = preview(Outbound(BUDI, "", template=template), "id")
    assert shown == {"bubbles": [{"text": "[status_update] LPR-7K3M9QXA2, Selesai"}], "buttons": []}


def test_nothing_to_show_is_empty() -> None:
    assert preview(Outbound(BUDI, " "), "id") == {"bubbles": [], "buttons": []}
