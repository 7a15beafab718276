"""Our training data (Rasa YAML) and evaluation files (JSONL), read and checked."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from nlu.slang import SLANG_FILE
from nlu.types import CATEGORIES, INTENTS

DATA_DIR = Path(__file__).parent / "data"
HELDOUT = DATA_DIR / "heldout.jsonl"


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled sentence; ``category`` only for reports that describe a problem."""

    text: str
    intent: str
    category: str | None = None
    regency: str | None = None


class DataError(ValueError):
    """Training or evaluation data that breaks the format."""


def training_files(data_dir: Path = DATA_DIR) -> list[Path]:
    """The Rasa NLU files, in a stable order."""
    return sorted(data_dir.glob("*.yml"))


def fingerprint(data_dir: Path = DATA_DIR) -> str:
    """A hash of the training files and the slang table: a model trained on other data is stale."""
    digest = hashlib.sha256()
    for path in [*training_files(data_dir), SLANG_FILE]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def load_training(data_dir: Path = DATA_DIR) -> list[Example]:
    """Every example of every block; ``report/<category>`` gives intent and category."""
    examples: list[Example] = []
    for path in training_files(data_dir):
        for block in read_rasa_nlu(path):
            intent, _, category = block["intent"].partition("/")
            for text in block["examples"]:
                examples.append(Example(text, intent, category or None))
    return examples


def read_rasa_nlu(path: Path) -> list[dict[str, Any]]:
    """The ``nlu`` blocks of a Rasa 3.1 file, examples split; raises ``DataError``."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(document, dict) or document.get("version") != "3.1":
        raise DataError(f'{path.name}: expected version: "3.1"')
    blocks = document.get("nlu")
    if not isinstance(blocks, list):
        raise DataError(f"{path.name}: expected an nlu list")
    return [_block(path, block) for block in blocks]


def _block(path: Path, block: Any) -> dict[str, Any]:
    if not isinstance(block, dict) or set(block) != {"intent", "examples"}:
        raise DataError(f"{path.name}: each nlu item needs exactly intent and examples")
    intent, _, category = str(block["intent"]).partition("/")
    if intent not in INTENTS or (category and (intent != "report" or category not in CATEGORIES)):
        raise DataError(f"{path.name}: unknown label {block['intent']!r}")
    lines = str(block["examples"]).splitlines()
    if not all(line.startswith("- ") for line in lines):
        raise DataError(f"{path.name}: {block['intent']}: every example on a '- ' line")
    return {"intent": block["intent"], "examples": [line[2:].strip() for line in lines]}


def load_jsonl(path: Path) -> list[Example]:
    """An evaluation file: one ``{"text", "intent", "category", "regency"}`` a line."""
    examples = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        if row.get("intent") not in INTENTS or row.get("category") not in (None, *CATEGORIES):
            raise DataError(f"{path.name}:{number}: unknown label")
        examples.append(Example(row["text"], row["intent"], row.get("category"), row.get("regency")))
    return examples
