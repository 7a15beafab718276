"""Our training data trains a Rasa model unchanged; the held-out set stays apart."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from nlu.data import HELDOUT, DataError, load_jsonl, load_training, read_rasa_nlu, training_files
from nlu.normalize import normalize
from nlu.types import CATEGORIES, INTENTS


@pytest.mark.parametrize("path", training_files(), ids=lambda p: p.name)
def test_rasa_3_1_structure(path: Path) -> None:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert document["version"] == "3.1"
    assert set(document) == {"version", "nlu"}
    for block in document["nlu"]:
        assert set(block) == {"intent", "examples"}
        assert isinstance(block["examples"], str)  # a literal block, as Rasa writes it
        lines = block["examples"].splitlines()
        assert lines
        assert all(line.startswith("- ") and line[2:].strip() for line in lines)
        # "[text](entity)" is Rasa's entity markup: our examples carry none.
        assert not any("](" in line for line in lines)


def test_every_label_has_at_least_60_examples() -> None:
    examples = load_training()
    intents = Counter(e.intent for e in examples)
    categories = Counter(e.category for e in examples if e.category)
    assert set(intents) == set(INTENTS)
    assert set(categories) == set(CATEGORIES)
    assert min(intents.values()) >= 60
    assert min(categories.values()) >= 60


def test_heldout_is_large_and_never_trained_on() -> None:
    heldout = load_jsonl(HELDOUT)
    assert len(heldout) >= 300
    assert {e.intent for e in heldout} == set(INTENTS)
    assert {e.category for e in heldout if e.category} == set(CATEGORIES)
    trained = {normalize(e.text) for e in load_training()}
    assert not [e.text for e in heldout if normalize(e.text) in trained]
    assert all(e.category is None for e in heldout if e.intent != "report")


def test_broken_files_are_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text('version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    halo\n')
    with pytest.raises(DataError, match="'- ' line"):
        read_rasa_nlu(bad)
    bad.write_text('version: "2.0"\nnlu: []\n')
    with pytest.raises(DataError, match=r"3\.1"):
        read_rasa_nlu(bad)
    bad.write_text('version: "3.1"\nnlu:\n- intent: report/weather\n  examples: |\n    - x\n')
    with pytest.raises(DataError, match="unknown label"):
        read_rasa_nlu(bad)
