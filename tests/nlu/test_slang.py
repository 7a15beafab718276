"""The slang table is data: loaded from nlu/slang.yaml and checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlu.normalize import normalize
from nlu.slang import NEGATIONS, SLANG, SlangError, load_slang


def test_the_table_loads_with_domain_meanings() -> None:
    assert SLANG["kk"] == "kartu keluarga"
    assert SLANG["gk"] in NEGATIONS
    assert "udh" in SLANG


def test_every_negation_spelling_keeps_a_negation() -> None:
    negating = {k for k, v in SLANG.items() if v in {"tidak", "belum", "bukan", "jangan"}}
    assert {"gk", "blm", "bkn", "jgn"} <= negating
    assert normalize("gk ada air").split()[0] == "tidak"


def test_a_key_mapping_to_nothing_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "slang.yaml"
    bad.write_text(
        "negations: [tidak]\nslang:\n  gk: ''\nenglish_protected: [no]\ndouble_letter_words: [maaf]\n",
        encoding="utf-8",
    )
    with pytest.raises(SlangError, match="gk"):
        load_slang(bad)


def test_a_missing_list_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "slang.yaml"
    bad.write_text("negations: [tidak]\nslang: {gk: tidak}\n", encoding="utf-8")
    with pytest.raises(SlangError, match="english_protected"):
        load_slang(bad)
