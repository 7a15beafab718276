"""The masking rules on their own: identifiers and names in free text."""

from __future__ import annotations

from datetime import date

from bot.openness.privacy import MIN_CELL, mask_public, suppress

TODAY = date(2026, 3, 2)


def test_identifiers_are_masked() -> None:
    text = "NIK 3404011203850002, hp 0812-3456-7890 / +62 812 9876 5432, mail budi.s@contoh.co.id"
    masked = mask_public(text, TODAY)
    for secret in ("3404011203850002", "0812-3456-7890", "812 9876 5432", "budi.s@contoh.co.id"):
        assert secret not in masked
    assert masked.count("[telepon]") == 2 and "[NIK]" in masked and "[email]" in masked


def test_names_after_an_introduction_or_honorific_are_masked() -> None:
    masked = mask_public("nama saya budi santoso, kata Pak Joko Susilo di kantor", TODAY)
    assert "budi" not in masked and "santoso" not in masked and "Joko" not in masked
    assert "kata Pak [nama] di kantor" in masked


def test_the_reporters_own_name_is_masked_wherever_it_is() -> None:
    masked = mask_public("Saya Siti Rahmawati melapor; rumah Rahmawati kebanjiran", TODAY, ["Siti Rahmawati"])
    assert "Siti" not in masked and "Rahmawati" not in masked


def test_ordinary_words_stay() -> None:
    text = "Jalan di depan rumah bapak yang bertugas rusak sejak 2 minggu"
    assert mask_public(text, TODAY) == text


def test_small_cells_are_suppressed() -> None:
    assert suppress(0) == 0
    assert suppress(MIN_CELL - 1) is None
    assert suppress(MIN_CELL) == MIN_CELL
