"""What an officer may see, as SQL: every complaint query goes through here.

The agency filter is part of the query itself, never applied afterwards, so
a list, a count, an export and a lookup by ticket all agree: another
agency's complaint does not exist for this officer.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, and_, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer, selectinload

from bot.officers.auth import Principal, Role
from storage.models import Attachment, Complaint
from storage.tickets import normalize_ticket


def visible(principal: Principal) -> ColumnElement[bool]:
    """The complaints ``principal`` may read."""
    clauses: list[ColumnElement[bool]] = []
    if not principal.all_agencies:
        clauses.append(Complaint.agency_id == principal.agency_id)
    if principal.role is Role.VIEWER:
        # Confidential reports are for the handling officers only.
        clauses.append(Complaint.confidential.is_(False))
    return and_(true(), *clauses)


def scoped(principal: Principal) -> Select[Complaint]:
    return select(Complaint).where(visible(principal))


def ticket_of(text: str) -> str:
    return normalize_ticket(text) or text.strip().upper()[:16]


async def find(
    session: AsyncSession, principal: Principal, ticket: str, *, full: bool = False
) -> Complaint | None:
    """The complaint ``ticket`` if ``principal`` may see it; None looks the same either way."""
    query = scoped(principal).where(Complaint.ticket == ticket_of(ticket))
    if full:
        query = query.options(
            selectinload(Complaint.reporter),
            selectinload(Complaint.events),
            selectinload(Complaint.attachments).options(defer(Attachment.content)),
        )
    found: Complaint | None = await session.scalar(query)
    return found
