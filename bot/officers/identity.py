"""Reading a reporter's identity: a separate permission, audited, never for anonymous reporters."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.officers.audit import audit
from bot.officers.auth import Principal
from bot.officers.schemas import Identity
from bot.officers.service import Forbidden, NotFound
from storage.models import Complaint, Reporter


async def reveal(session: AsyncSession, who: Principal, complaint: Complaint, now: datetime) -> Identity:
    """The identity behind ``complaint`` for ``who``; every attempt is in the audit log.

    The caller commits (the audit entry is written even when access is refused).
    """
    if complaint.anonymous:
        audit(session, who, "identity_refused", now, complaint_id=complaint.id, reason="anonymous")
        raise NotFound(
            "this reporter is anonymous: nobody can see their identity",
            "Pelapor memilih anonim: identitasnya tidak dapat dilihat siapa pun.",
        )
    if not who.identity_access:
        audit(session, who, "identity_refused", now, complaint_id=complaint.id, reason="no_permission")
        raise Forbidden(
            "this account may not see reporters' identities",
            "Akun ini tidak berizin melihat identitas pelapor.",
        )
    reporter = await session.get(Reporter, complaint.reporter_id)
    if reporter is None or reporter.erased_at is not None:
        raise NotFound("the reporter's data was erased", "Data pelapor sudah dihapus.")
    audit(session, who, "identity_view", now, complaint_id=complaint.id, ticket=complaint.ticket)
    return Identity(
        display_name=reporter.display_name,
        phone=reporter.phone,
        address=reporter.address,
        nik_masked=reporter.nik_masked,
        channel=reporter.channel,
        language=reporter.language,
    )
