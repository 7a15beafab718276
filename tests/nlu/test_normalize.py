"""Normalisation: slang expanded with the domain's meanings, negations never lost."""

from __future__ import annotations

import pytest

from nlu.normalize import normalize
from nlu.text import fold


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("gk ada air", "tidak ada air"),
        ("ga jadi", "tidak jadi"),
        ("tdk sesuai", "tidak sesuai"),
        ("nggak", "tidak"),
        ("blm diperbaiki", "belum diperbaiki"),
        ("ora sido", "tidak sido"),
        ("teu acan", "tidak belum"),
        ("bkn itu", "bukan itu"),
        ("jgn dikirim", "jangan dikirim"),
    ],
)
def test_negations_are_mapped_never_dropped(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("jln rusak", "jalan rusak"),
        ("kel kemiri", "kelurahan kemiri"),
        ("kk sy blm jadi", "kartu keluarga saya belum jadi"),
        ("yg di kec beji", "yang di kecamatan beji"),
        ("min tlg", "admin tolong"),
        ("bpk kades", "bapak kepala desa"),
        ("udh 3 hri", "sudah 3 hari"),
    ],
)
def test_slang_expands_with_domain_meanings(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_english_words_are_protected() -> None:
    assert normalize("No water since Monday, is it on?") == "no water since monday is it on ?"
    # ... but "no" before a number is the Indonesian abbreviation of "nomor".
    assert normalize("jl mawar no 5") == "jalan mawar nomor 5"


def test_repeated_letters_fold_keeping_real_doubles() -> None:
    assert normalize("TOLONGGGG bangettt") == "tolong banget"
    assert normalize("maaaaf") == "maaf"
    assert normalize("siiiip") == "oke"


def test_nfkc_case_and_invisible_characters() -> None:
    assert normalize("ＪＬＮ rusak") == "jalan rusak"
    assert normalize("ru\u200bsak") == "rusak"


def test_identifiers_become_placeholders() -> None:
    text = "cek LPR-7K3M9QX2, hp 0812-3456-7890, email a.b@c.id"
    assert normalize(text) == "cek _ticket_ hp _number_ email _email_"


def test_emoji_and_reduplication() -> None:
    assert normalize("anak2 sekolah 😡🙏") == "anak anak sekolah _upset_ _pray_"
    assert normalize("dimintai 100rb") == "dimintai 100 ribu"


def test_fold_maps_spans_back_to_the_original() -> None:
    original = "a\u200bb ＡＢ"
    folded = fold(original)
    assert folded.text == "ab AB"
    start = folded.text.index("AB")
    begin, end = folded.span(start, start + 2)
    assert original[begin:end] == "ＡＢ"
