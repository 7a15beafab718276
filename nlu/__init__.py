"""Natural-language understanding for lapor-chat: intents, categories, places, dates, ids.

``load_parser()`` is the entry point: the built-in model (trained on first use when
its artifact is missing or stale), or a Rasa server with the built-in model as
fallback. Every parser returns ``nlu.types.ParseResult``.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from nlu.data import DATA_DIR, fingerprint, load_training
from nlu.model import Model, load, save, train
from nlu.parser import CATEGORY_CHOICE, INTENT_FALLBACK, BuiltinParser
from nlu.regions import RegionIndex
from nlu.types import CATEGORIES, INTENTS, KINDS, Entity, Parser, ParseResult, Region, ScoredLabel

__all__ = [
    "CATEGORIES",
    "CATEGORY_CHOICE",
    "DEFAULT_MODEL_PATH",
    "INTENTS",
    "INTENT_FALLBACK",
    "KINDS",
    "BuiltinParser",
    "Entity",
    "ParseResult",
    "Parser",
    "Region",
    "ScoredLabel",
    "load_model",
    "load_parser",
    "train_model",
]

DEFAULT_MODEL_PATH = Path(__file__).parent / "model" / "model.npz"
_log = logging.getLogger(__name__)


def train_model(out: Path | None = None, data_dir: Path = DATA_DIR) -> Model:
    """Train on ``nlu/data/*.yml`` and write the artifact to ``out`` (default path)."""
    model = train(load_training(data_dir), fingerprint(data_dir))
    save(model, out or DEFAULT_MODEL_PATH)
    return model


def load_model(path: Path | None = None, data_dir: Path = DATA_DIR) -> Model:
    """The model at ``path``; trained (and saved when possible) if missing or stale."""
    path = path or DEFAULT_MODEL_PATH
    current = fingerprint(data_dir)
    try:
        model = load(path)
        if model.fingerprint == current:
            return model
        _log.info("nlu model at %s is stale, retraining", path)
    except FileNotFoundError:
        _log.info("no nlu model at %s: training one (a few seconds, once)", path)
    except (ValueError, KeyError, OSError):
        _log.warning("unreadable nlu model at %s, retraining", path)
    started = time.perf_counter()
    model = train(load_training(data_dir), current)
    _log.info("nlu model trained in %.1f s", time.perf_counter() - started)
    try:
        save(model, path)
    except OSError:
        _log.warning("cannot write the nlu model to %s; using it from memory", path)
    return model


def load_parser(
    model_path: Path | None = None,
    rasa_url: str | None = None,
    rasa_token: str | None = None,
) -> Parser:
    """The parser the service uses: built-in, or Rasa-backed when ``rasa_url`` is set.

    Loads the model and builds the region index now, so the first message is fast.
    """
    builtin = BuiltinParser(load_model(model_path), RegionIndex.shared())
    if not rasa_url:
        return builtin
    from nlu.rasa import RasaParser

    return RasaParser(rasa_url, rasa_token, builtin)
