"""The upstream interface: submit a complaint once, pull status changes later.

The record sent upstream is the structured complaint. It honours the
citizen's two promises: ``confidential`` travels as a flag (the upstream
must not publish it), and an anonymous reporter's identity is not sent at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Identity:
    first_name: str
    last_name: str
    phone: str
    email: str


@dataclass(frozen=True, slots=True)
class ForwardRecord:
    ticket: str
    kind: str
    category: str
    title: str
    description: str
    location: str
    regency_code: str | None
    regency: str | None
    lat: float | None
    long: float | None
    incident_date: date | None
    agency_code: str | None
    confidential: bool
    anonymous: bool
    reporter: Identity | None  # None for anonymous reporters, always


@dataclass(frozen=True, slots=True)
class Submitted:
    upstream_id: str
    transaction_id: str | None = None


@dataclass(frozen=True, slots=True)
class Pulled:
    """The upstream's word on one of our complaints."""

    upstream_id: str
    status: str  # our status vocabulary: in_progress, resolved, rejected, or "" for no news
    note: str


class UpstreamError(Exception):
    """The upstream said no. ``retry`` for timeouts and 5xx, not for a refused record."""

    def __init__(self, message: str, *, retry: bool) -> None:
        super().__init__(message)
        self.retry = retry


class Upstream(Protocol):
    system: str

    async def submit(self, record: ForwardRecord) -> Submitted:
        """Send ``record``; the upstream's id. Raises ``UpstreamError``."""
        ...

    async def pull(self, upstream_ids: list[str]) -> list[Pulled]:
        """The current status of these records upstream ([] if the upstream cannot say)."""
        ...

    async def aclose(self) -> None: ...


def split_name(name: str | None) -> tuple[str, str]:
    parts = (name or "").split()
    return (parts[0], " ".join(parts[1:])) if parts else ("", "")
