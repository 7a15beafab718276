"""GSM-7 transliteration, segment counting and the two-segment budget."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from connectors.messages import Choice, Outbound
from connectors.sms import count_segments, is_gsm7, render_sms, to_gsm7


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Laporan Anda diterima.", "Laporan Anda diterima."),
        ("Terima kasih 🙏", "Terima kasih"),
        ("“Jalan” rusak ‘parah’", "\"Jalan\" rusak 'parah'"),
        ("09.00–17.00 — tutup…", "09.00-17.00 - tutup..."),
        ("Café résumé naïve", "Café résumé naive"),  # é is GSM-7, ï is not
        ("Ça, ñ, ü, ß", "Ça, ñ, ü, ß"),
        ("Ａｎｄａ", "Anda"),  # full-width letters
        ("a\u00a0b\tc", "a b c"),
        ("x\u200by\u202ez", "xyz"),  # zero-width and bidi controls
        ("Tiket 👍🏽 LPR-7K2M", "Tiket LPR-7K2M"),  # skin-tone modifier too
        ("baris satu\r\nbaris dua", "baris satu\nbaris dua"),
        ("中文", "??"),
    ],
)
def test_to_gsm7(text: str, expected: str) -> None:
    assert to_gsm7(text) == expected


@pytest.mark.parametrize(
    ("text", "encoding", "units", "count"),
    [
        ("", "gsm7", 0, 1),
        ("a" * 160, "gsm7", 160, 1),
        ("a" * 161, "gsm7", 161, 2),
        ("a" * 306, "gsm7", 306, 2),
        ("a" * 307, "gsm7", 307, 3),
        ("€" * 80, "gsm7", 160, 1),  # extension table: two septets each
        ("€" * 81, "gsm7", 162, 2),
        ("a" * 152 + "{" + "a" * 152, "gsm7", 306, 3),  # an escape pair is never split
        ("é" * 160, "gsm7", 160, 1),
        ("ł" * 70, "ucs2", 70, 1),
        ("ł" * 71, "ucs2", 71, 2),
        ("ł" * 134, "ucs2", 134, 2),
        ("ł" * 135, "ucs2", 135, 3),
        ("🙏" * 35, "ucs2", 70, 1),  # a surrogate pair is two UTF-16 units
        ("🙏" * 36, "ucs2", 72, 2),
        ("a" * 159 + "🙏", "ucs2", 161, 3),  # one emoji shrinks the room to 67 a part
    ],
)
def test_count_segments(text: str, encoding: str, units: int, count: int) -> None:
    segments = count_segments(text)
    assert (segments.encoding, segments.units, segments.count) == (encoding, units, count)


def test_short_text_is_preferred_and_fits_one_segment() -> None:
    outbound = Outbound(
        "tel:+6281234567890",
        "Laporan Anda telah kami terima dan akan diverifikasi dalam 3 hari kerja. 🙏",
        short_text="Laporan diterima. Tiket: LPR-7K2M-9QX4.",
    )
    text = render_sms(outbound)
    assert text == "Laporan diterima. Tiket: LPR-7K2M-9QX4."
    assert count_segments(text).count == 1


def test_long_text_is_cut_at_a_word_and_keeps_every_choice() -> None:
    words = "Mohon jelaskan lokasi kejadian selengkap mungkin " * 20
    outbound = Outbound("tel:+6281234567890", words, choices=(Choice("Ya", "yes"), Choice("Tidak", "no")))
    text = render_sms(outbound, max_segments=2)
    assert count_segments(text).count == 2
    assert text.endswith("1. Ya\n2. Tidak\nBalas 1 atau 2.")
    body = text.split("\n1. Ya")[0]
    assert body.endswith("...")
    assert words.startswith(body.removesuffix("..."))


@settings(max_examples=200, deadline=None, database=None)
@given(
    text=st.text(max_size=800),
    titles=st.lists(st.text(min_size=1, max_size=40), max_size=6),
    max_segments=st.integers(min_value=1, max_value=3),
)
def test_render_sms_is_always_gsm7_within_budget(text: str, titles: list[str], max_segments: int) -> None:
    choices = tuple(Choice(title, f"p{i}") for i, title in enumerate(titles))
    rendered = render_sms(Outbound("tel:+6281234567890", text, choices=choices), max_segments=max_segments)
    assert is_gsm7(rendered)
    assert count_segments(rendered).count <= max_segments


@settings(max_examples=300, deadline=None, database=None)
@given(st.text())
def test_to_gsm7_output_is_gsm7(text: str) -> None:
    assert is_gsm7(to_gsm7(text))
