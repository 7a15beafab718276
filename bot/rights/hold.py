"""Legal hold: officers mark a complaint whose data must be kept (a court case, an audit).

A held complaint is neither erased at the reporter's request nor purged by
retention; setting and lifting the flag are audited.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.officers.audit import audit
from bot.officers.auth import Principal
from bot.officers.scope import find
from bot.officers.service import Forbidden, NotFound
from storage.models import Complaint


async def set_legal_hold(
    session: AsyncSession, who: Principal, ticket: str, hold: bool, now: datetime
) -> Complaint:
    """Set or lift the flag on ``ticket`` within ``who``'s scope, in the caller's transaction."""
    if not who.can_write:
        raise Forbidden("this account may only read", "Akun ini hanya dapat membaca.")
    complaint = await find(session, who, ticket)
    if complaint is None:
        raise NotFound("complaint not found", "Laporan tidak ditemukan.")
    if complaint.legal_hold != hold:
        complaint.legal_hold = hold
        complaint.updated_at = now
        action = "legal_hold_set" if hold else "legal_hold_lifted"
        audit(session, who, action, now, complaint_id=complaint.id, ticket=complaint.ticket)
    return complaint
