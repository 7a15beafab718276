"""The NLU model is trained once per test session, into a temporary folder."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import nlu
from nlu.parser import BuiltinParser

JAKARTA = ZoneInfo("Asia/Jakarta")
# A Friday morning in Jakarta, the day after a leap day: month boundaries matter.
NOW = datetime(2024, 3, 1, 9, 0, tzinfo=JAKARTA)


@pytest.fixture(scope="session")
def model_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("nlu") / "model.npz"
    nlu.train_model(path)
    return path


@pytest.fixture(scope="session")
def parser(model_path: Path) -> BuiltinParser:
    loaded = nlu.load_parser(model_path)
    assert isinstance(loaded, BuiltinParser)
    return loaded


TINY = """version: "3.1"
nlu:
- intent: greet
  examples: |
{greet}
- intent: thanks
  examples: |
{thanks}
- intent: report/health
  examples: |
{health}
- intent: report/taxation
  examples: |
{taxation}
"""


def _lines(*words: str) -> str:
    return "\n".join(f"    - {w} {i}" for w in words for i in range(3))


@pytest.fixture
def tiny_data(tmp_path: Path) -> Path:
    """A folder with a tiny Rasa NLU file: trains in well under a second."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "tiny.yml").write_text(
        TINY.format(
            greet=_lines("halo", "pagi"),
            thanks=_lines("makasih", "thanks"),
            health=_lines("puskesmas tutup", "obat habis"),
            taxation=_lines("pbb naik", "pajak motor"),
        )
    )
    return data
