"""``ParseResult`` as JSON-ready data, for the CLI and any harness."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from nlu.types import ParseResult


def result_to_dict(result: ParseResult) -> dict[str, Any]:
    """Every field; dates as ISO strings, regions and entities as objects."""
    data = asdict(result)
    data["incident_date"] = result.incident_date.isoformat() if result.incident_date else None
    return data
