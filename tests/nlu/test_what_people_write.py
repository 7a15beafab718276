"""Durations as dates, negated reports, questions, place suggestions, landmarks, second topics."""

from __future__ import annotations

from datetime import date

import pytest

from nlu.dates import find_dates
from nlu.parser import BuiltinParser
from nlu.topics import clauses
from tests.nlu.conftest import NOW


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("lampu jalan mati udh seminggu", date(2024, 2, 23)),
        ("sejak 3 hari", date(2024, 2, 27)),
        ("dari bulan lalu", date(2024, 2, 1)),
        ("kmrn sore", date(2024, 2, 29)),
        ("sudah 2 mingguan", date(2024, 2, 16)),
        ("for two weeks", date(2024, 2, 16)),
        ("3 hari ini", date(2024, 2, 27)),
        ("udah numpuk sebulan", date(2024, 2, 1)),
        ("wis seminggu", date(2024, 2, 23)),
    ],
)
def test_durations_set_the_incident_date(text: str, expected: date) -> None:
    hits = find_dates(text, NOW)
    assert hits and hits[0].value == expected


def test_a_count_without_a_duration_word_is_no_date() -> None:
    assert find_dates("rumah 3 lantai", NOW) == []


def test_just_asking_is_an_information_request(parser: BuiltinParser) -> None:
    result = parser.parse("bukan mau lapor, cuma tanya jam buka kantor dukcapil sleman", NOW)
    assert (result.intent, result.kind) == ("report", "information_request")
    assert result.category == "civil_registration"


def test_a_bare_negation_is_no_report(parser: BuiltinParser) -> None:
    assert parser.parse("bukan mau lapor kok", NOW).intent != "report"


def test_a_question_about_the_bot_stays_help(parser: BuiltinParser) -> None:
    result = parser.parse("gimana cara kirim lokasi?", NOW)
    assert (result.intent, result.kind) == ("help", None)


def test_an_aspiration_keeps_its_kind_and_gets_a_category_guess(parser: BuiltinParser) -> None:
    text = "Dengan hormat, saya ingin menyampaikan aspirasi agar taman kota di Kota Malang diperbanyak"
    result = parser.parse(text, NOW)
    assert result.kind == "aspiration"
    assert len(result.category_guess) == 3
    assert result.regency == "Kota Malang"


@pytest.mark.parametrize(
    ("text", "regency"),
    [("bandng", "Kota Bandung"), ("ngaglik", "Kabupaten Sleman"), ("pasar kliwon solo", "Kota Surakarta")],
)
def test_a_failed_place_gets_suggestions(parser: BuiltinParser, text: str, regency: str) -> None:
    result = parser.parse(text, NOW)
    assert result.regency is None
    assert regency in [r.name for r in result.suggestions]


def test_a_named_province_suggests_its_regencies(parser: BuiltinParser) -> None:
    names = [r.name for r in parser.parse("diy", NOW).suggestions]
    assert sorted(names) == sorted(
        [
            "Kabupaten Kulon Progo",
            "Kabupaten Bantul",
            "Kabupaten Gunungkidul",
            "Kabupaten Sleman",
            "Kota Yogyakarta",
        ]
    )


def test_a_named_regency_gets_no_suggestions(parser: BuiltinParser) -> None:
    assert parser.parse("jalan rusak di kab sleman", NOW).suggestions == ()


@pytest.mark.parametrize(
    ("text", "regency"),
    [
        ("jalan berlubang dekat kebun raya bogor", "Kota Bogor"),
        ("lampu mati di ungaran semarang", "Kabupaten Semarang"),
        ("macet di simpang lima semarang", "Kota Semarang"),
    ],
)
def test_a_landmark_settles_kota_or_kabupaten(parser: BuiltinParser, text: str, regency: str) -> None:
    assert parser.parse(text, NOW).regency == regency


def test_a_street_name_is_no_place(parser: BuiltinParser) -> None:
    assert parser.parse("jalan rusak di jl magelang sleman", NOW).regency == "Kabupaten Sleman"


def test_a_verb_after_kelurahan_is_no_village(parser: BuiltinParser) -> None:
    assert parser.parse("ada pungli di kantor kelurahan minta 50rb", NOW).regions == ()


def test_two_topics_give_the_other_one(parser: BuiltinParser) -> None:
    text = "sampah numpuk di pasar kota kediri udh seminggu. satu lagi, lampu jalan di depan pasar juga mati"
    result = parser.parse(text, NOW)
    assert result.category == "environment"
    assert result.other_topic == "lampu jalan di depan pasar juga mati"


def test_one_topic_told_at_length_gives_none(parser: BuiltinParser) -> None:
    text = "jalan di depan rumah berlubang besar. sudah banyak motor jatuh di jalan itu"
    assert parser.parse(text, NOW).other_topic is None


def test_clauses_cut_at_sentence_ends_and_added_topics() -> None:
    assert clauses("a b. terus c d; selain itu e") == ["a b", "c d", "e"]
