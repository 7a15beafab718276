"""The record of every rights request: who asked, when, and what was done."""

from __future__ import annotations

import getpass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import RightsRequest

REPORTER = "reporter"  # the reporter in chat
SYSTEM = "system"  # the retention purge


def operator() -> str:
    """The operator at the command line, by their login name."""
    try:
        return f"cli:{getpass.getuser()}"[:200]
    except (KeyError, OSError):
        return "cli:unknown"


def record(
    session: AsyncSession,
    *,
    reporter_id: int | None,
    kind: str,
    actor: str,
    outcome: str,
    now: datetime,
    **detail: Any,
) -> None:
    """Add one request record to the caller's transaction; ``detail`` holds counts and tickets only."""
    session.add(
        RightsRequest(at=now, reporter_id=reporter_id, kind=kind, actor=actor, outcome=outcome, detail=detail)
    )
