"""The simulated phones show each reply as its channel's own renderer would."""

from __future__ import annotations

import pytest

from bot.http.demo.phones import phone_named, render_phone, split_segments
from connectors.messages import Ask, Choice, Outbound
from connectors.sms import count_segments, is_gsm7

YES_NO = (Choice("Ya", "yes"), Choice("Tidak", "no"))
IDENTITY = (Choice("Publik", "public"), Choice("Rahasia", "confidential"), Choice("Anonim", "anonymous"))
LONG = (
    "Terima kasih, laporan Anda sudah kami terima 🙏. Nomor tiket: LPR-7KQ2M9XD. Berikutnya: laporan "
    "diverifikasi paling lambat 3 Des 2026 — Anda akan mendapat kabar di sini setiap ada perkembangan. "
    "Ketik “STATUS LPR-7KQ2M9XD” untuk cek kapan saja."
)


def test_sms_gets_the_short_variant_in_gsm7_with_numbered_choices() -> None:
    reply = Outbound("demo:sms-1", "Teks panjang untuk kanal lain 🇮🇩", short_text="Setuju?", choices=YES_NO)
    shown = render_phone("sms", reply, "id")
    (bubble,) = shown["bubbles"]
    assert bubble["text"] == "Setuju?\n1. Ya\n2. Tidak\nBalas 1 atau 2."
    assert (bubble["encoding"], bubble["count"], bubble["units"]) == ("gsm7", 1, len(bubble["text"]))
    assert shown["keyboard"] is None


def test_sms_hints_follow_the_conversation_language() -> None:
    reply = Outbound("demo:sms-1", "Agree?", choices=IDENTITY)
    assert render_phone("sms", reply, "en")["bubbles"][0]["text"].endswith("Reply 1, 2 or 3.")


def test_a_long_sms_is_cut_to_two_segments_of_gsm7() -> None:
    bubble = render_phone("sms", Outbound("demo:sms-1", LONG + " " + LONG), "id")["bubbles"][0]
    text = bubble["text"]
    assert is_gsm7(text) and "🙏" not in text and '"STATUS' in text  # emoji dropped, quotes made plain
    assert bubble["count"] == 2 == len(bubble["segments"])
    assert "".join(bubble["segments"]) == text
    assert all(len(part) <= 153 for part in bubble["segments"])
    assert text.endswith("...")


def test_segments_never_split_an_extension_character() -> None:
    text = "a" * 152 + "€" + "b" * 20  # € costs two septets: it cannot end the first part
    parts = split_segments(text)
    assert parts == ["a" * 152, "€" + "b" * 20]
    assert len(parts) == count_segments(text).count


def test_a_single_segment_is_one_part() -> None:
    assert split_segments("x" * 160) == ["x" * 160]
    assert len(split_segments("x" * 161)) == 2


def test_ucs2_segments_hold_67_units() -> None:
    text = "Ω" * 60 + "漢" * 20  # 漢 is outside GSM-7: the whole text is UCS-2
    parts = split_segments(text)
    assert [len(p) for p in parts] == [67, 13]


def test_whatsapp_shows_the_full_text_and_a_numbered_list() -> None:
    reply = Outbound(
        "demo:whatsapp-1", "Bagaimana identitas Anda ditampilkan?", short_text="x", choices=IDENTITY
    )
    shown = render_phone("whatsapp", reply, "id")
    assert [b["text"] for b in shown["bubbles"]] == [
        "Bagaimana identitas Anda ditampilkan?\n\n1. Publik\n2. Rahasia\n3. Anonim\nBalas 1, 2 atau 3."
    ]
    assert shown["keyboard"] is None


def test_whatsapp_splits_at_twilios_1600_characters() -> None:
    text = ("Kalimat yang cukup panjang untuk diulang. " * 60).strip()
    bubbles = render_phone("whatsapp", Outbound("demo:whatsapp-1", text), "id")["bubbles"]
    assert len(bubbles) == 2 and all(len(b["text"]) <= 1600 for b in bubbles)
    assert " ".join(b["text"] for b in bubbles) == text


def test_telegram_choices_are_an_inline_keyboard_with_callback_data() -> None:
    shown = render_phone("telegram", Outbound("demo:telegram-1", "Setuju?", choices=YES_NO), "id")
    assert shown["bubbles"] == [{"text": "Setuju?"}]
    assert shown["keyboard"] == {
        "kind": "inline",
        "rows": [[{"text": "Ya", "data": "yes"}], [{"text": "Tidak", "data": "no"}]],
    }


def test_telegram_asks_for_a_location_with_a_reply_keyboard() -> None:
    reply = Outbound("demo:telegram-1", "Di mana lokasinya?", ask=Ask.LOCATION)
    keyboard = render_phone("telegram", reply, "id")["keyboard"]
    assert keyboard["kind"] == "reply"
    assert keyboard["rows"][0][0]["location"] is True
    assert keyboard["placeholder"]


def test_telegram_removes_the_keyboard_when_there_is_nothing_to_choose() -> None:
    assert (
        render_phone("telegram", Outbound("demo:telegram-1", "Baik."), "id")["keyboard"]["kind"] == "remove"
    )


def test_telegram_splits_beyond_4096_units_and_keeps_the_text() -> None:
    text = "🙂" * 3000  # 6,000 UTF-16 units
    bubbles = render_phone("telegram", Outbound("demo:telegram-1", text), "id")["bubbles"]
    assert len(bubbles) == 2 and "".join(b["text"] for b in bubbles) == text


@pytest.mark.parametrize(("name", "found"), [("sms", "sms"), ("telegram", "telegram"), ("fax", None)])
def test_phone_names(name: str, found: str | None) -> None:
    assert phone_named(name) == found
