"""Which deadline a complaint is working against, and how urgent it is.

A received complaint must be verified by ``verify_due``; a verified one must
get the agency's first follow-up by ``followup_due``. Later statuses have no
service-level deadline. Dates are Jakarta calendar dates.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import ColumnElement, and_, or_

from bot.core.render import Renderer
from bot.core.workdays import add_working_days
from bot.engine.dates import format_date
from storage.models import Complaint


class Urgency(StrEnum):
    OVERDUE = "overdue"
    SOON = "soon"  # due today or on the next working day
    OK = "ok"
    NONE = "none"


def current_due(complaint: Complaint) -> date | None:
    if complaint.status == "received":
        return complaint.verify_due
    if complaint.status == "verified":
        return complaint.followup_due
    return None


def urgency(complaint: Complaint, today: date) -> Urgency:
    due = current_due(complaint)
    if due is None:
        return Urgency.NONE
    if due < today:
        return Urgency.OVERDUE
    if due <= add_working_days(today, 1):
        return Urgency.SOON
    return Urgency.OK


def overdue_clause(today: date) -> ColumnElement[bool]:
    """SQL for "past its current deadline", matching ``urgency(...) is OVERDUE``."""
    return or_(
        and_(Complaint.status == "received", Complaint.verify_due < today),
        and_(Complaint.status == "verified", Complaint.followup_due < today),
    )


def next_step(renderer: Renderer, complaint: Complaint) -> str:
    """ "Next: verification by 3 Des 2026": what the reporter waits for, in their language."""
    due: date | None = {
        "received": complaint.verify_due,
        "verified": complaint.followup_due,
    }.get(complaint.status)
    params = {"due": format_date(due, renderer.language) if due else "-"}
    return renderer.word(f"next.{complaint.status}", params)
