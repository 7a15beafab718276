"""The append-only audit log: identity access and every officer action.

``detail`` must never hold personal data: ids, tickets, codes and statuses only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.officers.auth import Principal
from storage.officers_models import AuditEntry

SYSTEM = "system"


def audit(
    session: AsyncSession,
    who: Principal | None,
    action: str,
    now: datetime,
    *,
    complaint_id: int | None = None,
    **detail: Any,
) -> None:
    """Add one audit entry to the caller's transaction (``who`` None is the system)."""
    session.add(
        AuditEntry(
            at=now,
            officer_id=None if who is None or who.is_system else who.officer_id,
            actor=who.actor if who else SYSTEM,
            action=action,
            complaint_id=complaint_id,
            detail=detail,
        )
    )
