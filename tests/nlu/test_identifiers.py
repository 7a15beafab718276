"""Phones as E.164, NIK by structure, ticket codes normalised, e-mail, addresses."""

from __future__ import annotations

import random

import pytest

from nlu.address import find_addresses
from nlu.identifiers import find_emails, find_niks, find_phones, find_tickets, normalize_ticket
from nlu.parser import BuiltinParser
from tests.nlu.conftest import NOW


@pytest.mark.parametrize(
    ("text", "e164"),
    [
        ("hp 0812-3456-7890", "+6281234567890"),
        ("wa +62 812 3456 7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("telp 0857.1234.5678 ya", "+6285712345678"),
        ("kantor (021) 5550 1234", "+622155501234"),
    ],
)
def test_phone_numbers_become_e164(text: str, e164: str) -> None:
    assert [f.value for f in find_phones(text, [])] == [e164]


def test_short_numbers_are_not_phones() -> None:
    assert find_phones("rt 03 rw 05 no 12, bayar 150000", []) == []


VALID_NIK = "3201011508950001"  # Kab. Bogor, Cibinong, born 15-08-1995, male


def test_nik_structure_is_validated() -> None:
    found = find_niks(f"nik saya {VALID_NIK}", NOW.date())
    assert [f.value for f in found] == [VALID_NIK]
    assert found[0].extra["masked"] == "3201********0001"
    assert find_niks("nik 3201 0115 0895 0001", NOW.date())[0].value == VALID_NIK


@pytest.mark.parametrize(
    "bad",
    [
        "0001011508950001",  # no province 00
        "3201013208950001",  # 32 August... day 32 is no date
        "3201011513950001",  # month 13
        "3201011508950000",  # serial 0000
        "320101150895000",  # 15 digits
    ],
)
def test_invalid_nik_is_not_an_entity(bad: str) -> None:
    assert find_niks(f"nik {bad}", NOW.date()) == []


def test_a_nik_is_never_read_as_a_phone(parser: BuiltinParser) -> None:
    result = parser.parse(f"NIK {VALID_NIK} HP 081234567890", NOW)
    assert [(e.type, e.value) for e in result.entities if e.type in {"nik", "phone"}] == [
        ("nik", VALID_NIK),
        ("phone", "+6281234567890"),
    ]


@pytest.mark.parametrize(
    ("text", "ticket"),
    [
        ("LPR-7K3M9QX2", "LPR-7K3M9QX2"),
        ("lpr-7k3m9qx2", "LPR-7K3M9QX2"),
        ("lpr7k3m9qx2", "LPR-7K3M9QX2"),
        ("LPR 7K3M9QX2", "LPR-7K3M9QX2"),
        ("lpr-7k3m9qxo", "LPR-7K3M9QX0"),  # O typed for zero
        ("lpr-i23abcde", "LPR-123ABCDE"),  # I typed for one
    ],
)
def test_ticket_codes_are_normalised(text: str, ticket: str) -> None:
    assert normalize_ticket(text) == ticket
    assert [f.value for f in find_tickets(f"cek {text} dong")] == [ticket]


@pytest.mark.parametrize("text", ["lpr-7k3m9qu2", "lprsekarang", "LPR-12", "lapor sekarang"])
def test_non_tickets(text: str) -> None:
    assert normalize_ticket(text) is None
    assert find_tickets(text) == []


def test_ticket_sets_parse_result_ticket(parser: BuiltinParser) -> None:
    result = parser.parse("status lpr7k3m9qx2 gimana min", NOW)
    assert result.intent == "check_status"
    assert result.ticket == "LPR-7K3M9QX2"


def test_email() -> None:
    assert [f.value for f in find_emails("kirim ke Budi.S@Gmail.com ya")] == ["budi.s@gmail.com"]


def test_street_address_with_rt_rw() -> None:
    [hit] = find_addresses("rumah saya di Jl. Margonda Raya No. 100 RT 03/05 Beji")
    assert hit.value == "Jalan Margonda Raya, No. 100, RT 003/RW 005"
    assert (hit.rt, hit.rw, hit.number) == ("003", "005", "100")


def test_road_is_not_an_address_but_rt_alone_is() -> None:
    assert find_addresses("jalan di depan rumah rusak parah") == []
    [hit] = find_addresses("di rt 2 rw 7 lampu mati")
    assert hit.value == "RT 002/RW 007"


def test_entity_spans_point_into_the_original_text(parser: BuiltinParser) -> None:
    text = "ＨＰ saya 0812\u200b3456 7890"
    result = parser.parse(text, NOW)
    phone = result.entity("phone")
    assert phone is not None
    assert phone.value == "+6281234567890"
    assert phone.text == "0812\u200b3456 7890"
    assert text[phone.start : phone.end] == phone.text


def test_our_nik_rules_agree_with_lokal_id() -> None:
    from lokal import parse_nik

    from nlu.nik import nik_is_valid

    rng = random.Random(3)
    samples = [VALID_NIK, "3201015508950001", "9601012902000001", "3201012902010001"]
    for _ in range(3000):
        province = rng.choice(["32", "00", "99", "96", "11"])
        samples.append(province + "".join(rng.choice("0123456789") for _ in range(14)))
    for nik in samples:
        expected = parse_nik(nik, reference_date=NOW.date()).valid
        assert nik_is_valid(nik, NOW.date()) == expected, nik
