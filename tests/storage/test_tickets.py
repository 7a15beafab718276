"""Tickets: format, randomness, the check symbol's guarantees, normalisation."""

from __future__ import annotations

import random
import re

import pytest

from storage.tickets import ALPHABET, TICKET_PATTERN, check_symbol, new_ticket, normalize_ticket

CANONICAL = re.compile(r"LPR-[0-9A-HJKMNP-TV-Z]{8}")
# A fixed sample, so that a failure names the same ticket every run.
SAMPLE = [
    body + check_symbol(body)
    for body in ("".join(random.Random(seed).choice(ALPHABET) for _ in range(7)) for seed in range(60))
] + ["00000000", "ZZZZZZZ" + check_symbol("ZZZZZZZ")]


def test_format_and_self_check() -> None:
    tickets = {new_ticket() for _ in range(2000)}
    assert len(tickets) == 2000  # 35 random bits: no collisions at this size
    for ticket in tickets:
        assert CANONICAL.fullmatch(ticket)
        assert normalize_ticket(ticket) == ticket


def test_symbols_are_uniform_enough() -> None:
    counts = dict.fromkeys(ALPHABET, 0)
    for _ in range(2000):
        for symbol in new_ticket()[4:11]:
            counts[symbol] += 1
    # 14,000 draws over 32 symbols: ~437 each; a stuck or missing symbol fails.
    assert min(counts.values()) > 300
    assert max(counts.values()) < 600


@pytest.mark.parametrize("code", SAMPLE)
def test_every_single_substitution_is_caught(code: str) -> None:
    for position in range(8):
        for symbol in ALPHABET.replace(code[position], ""):
            typo = code[:position] + symbol + code[position + 1 :]
            assert normalize_ticket(typo) is None, typo


@pytest.mark.parametrize("code", SAMPLE)
def test_every_adjacent_transposition_is_caught(code: str) -> None:
    for position in range(7):
        a, b = code[position], code[position + 1]
        if a != b:
            swapped = code[:position] + b + a + code[position + 2 :]
            assert normalize_ticket(swapped) is None, swapped


def test_error_patterns_exhaustively() -> None:
    """The check is linear, so what it catches depends on the error, not on the code.

    Every valid code with every pair of symbols at every adjacent pair of
    positions (the check symbol included), the rest zeros: all ~6,000 swaps fail.
    Single substitutions: every position, every other symbol, on one base code.
    """
    base = "0000000" + check_symbol("0000000")
    for position in range(8):
        for symbol in ALPHABET[1:]:
            assert normalize_ticket(base[:position] + symbol + base[position + 1 :]) is None
    swaps = 0
    for position in range(7):
        for x in ALPHABET:
            for y in ALPHABET if position < 6 else "?":
                body = ("0" * position + x + y + "0" * 7)[:7]
                code = body + check_symbol(body)
                assert normalize_ticket(code) is not None
                a, b = code[position], code[position + 1]
                if a != b:
                    swaps += 1
                    swapped = code[:position] + b + a + code[position + 2 :]
                    assert normalize_ticket(swapped) is None, (code, swapped)
    assert swaps > 6 * 32 * 31


@pytest.mark.parametrize(
    "typed",
    [
        "LPR-{code}",
        "lpr-{lower}",
        "LPR{code}",
        "lpr {lower}",
        "  LPR - {spaced}  ",
        "{code}",
        "{lower}",
        "{spaced}",
        "ＬＰＲ－{code}",  # full-width, as some phone keyboards type it
    ],
)
def test_normalisation_accepts_what_people_type(typed: str) -> None:
    code = "7K3M9QX" + check_symbol("7K3M9QX")
    text = typed.format(code=code, lower=code.lower(), spaced=f"{code[:4]} {code[4:]}")
    assert normalize_ticket(text) == f"LPR-{code}"


def test_look_alike_letters_are_read_as_digits() -> None:
    code = "0110A1B" + check_symbol("0110A1B")
    typed = "O" + "iL" + "o" + code[4:]
    assert normalize_ticket(f"LPR-{typed}") == f"LPR-{code}"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "LPR-",
        "LPR-7K3M9QX",  # one symbol short
        "LPR-7K3M9QXAB",  # one too many
        "XYZ-7K3M9QXA",
        "LPR-7K3M9QU{check}",  # U is never a symbol
        "LPR-7K3M9Q*{check}",
        "LPR-7K3M9Q٣{check}",  # an Arabic-Indic digit
    ],
)
def test_normalisation_refuses_non_tickets(typed: str) -> None:
    assert normalize_ticket(typed.format(check=check_symbol("7K3M9QX"))) is None


def test_pattern_finds_candidates_in_free_text() -> None:
    good = new_ticket()
    text = (
        f"Selamat pagi, mau tanya status {good.lower()}, dan juga lpr 7k3m 9qx4 ya. "
        "Bukan tiket: LPRX, LPR-123, LPR-7K3M9QX4ABC, LAPORKAN."
    )
    found = [m.group(0) for m in re.finditer(TICKET_PATTERN, text)]
    assert found == [good.lower(), "lpr 7k3m 9qx4"]
    assert normalize_ticket(found[0]) == good
