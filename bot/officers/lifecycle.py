"""The complaint status lifecycle: one pure table of allowed transitions.

received -> verified -> in_progress -> resolved -> closed, with the side
states needs_info (waiting for the reporter) and rejected (with a reason).
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    RECEIVED = "received"
    VERIFIED = "verified"
    IN_PROGRESS = "in_progress"
    NEEDS_INFO = "needs_info"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REJECTED = "rejected"


class RejectionReason(StrEnum):
    NOT_OUR_AUTHORITY = "bukan_wewenang"
    CANNOT_PROCESS = "tidak_dapat_diproses"
    DUPLICATE = "duplikat"
    SPAM = "spam"


S = Status
TRANSITIONS: dict[Status, frozenset[Status]] = {
    S.RECEIVED: frozenset({S.VERIFIED, S.NEEDS_INFO, S.REJECTED}),
    S.VERIFIED: frozenset({S.IN_PROGRESS, S.NEEDS_INFO, S.RESOLVED, S.REJECTED}),
    S.IN_PROGRESS: frozenset({S.NEEDS_INFO, S.RESOLVED, S.REJECTED}),
    S.NEEDS_INFO: frozenset({S.VERIFIED, S.IN_PROGRESS, S.RESOLVED, S.REJECTED}),
    # Closing is the reporter's answer (or the automatic close); reopening goes back to work.
    S.RESOLVED: frozenset({S.CLOSED, S.IN_PROGRESS}),
    S.CLOSED: frozenset(),
    S.REJECTED: frozenset(),
}
# What an officer may set by hand; "closed" belongs to the reporter and the system.
OFFICER_TARGETS = frozenset({S.VERIFIED, S.IN_PROGRESS, S.NEEDS_INFO, S.RESOLVED, S.REJECTED})
OPEN = frozenset({S.RECEIVED, S.VERIFIED, S.IN_PROGRESS, S.NEEDS_INFO})


def allowed(current: str, target: str, *, by_officer: bool = True) -> bool:
    """Whether ``current -> target`` is a legal move (for an officer, by default)."""
    try:
        source, goal = Status(current), Status(target)
    except ValueError:
        return False
    if by_officer and goal not in OFFICER_TARGETS:
        return False
    return goal in TRANSITIONS[source]


def next_statuses(current: str) -> list[Status]:
    """The statuses an officer can move a complaint in ``current`` to, in lifecycle order."""
    return [s for s in Status if allowed(current, s)]
