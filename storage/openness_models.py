"""Records of forwarding to an upstream system (SP4N-LAPOR! or an Open311 server).

Imported at the end of ``storage.models`` so that one ``Base.metadata`` holds it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base


class UpstreamLink(Base):
    """One complaint's record upstream: its id there and the last status pulled from there."""

    __tablename__ = "upstream_links"
    __table_args__ = (UniqueConstraint("system", "upstream_id", name="uq_upstream_links_system_id"),)

    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), primary_key=True)
    system: Mapped[str] = mapped_column(String(16))  # lapor | open311
    upstream_id: Mapped[str] = mapped_column(String(128))
    transaction_id: Mapped[str | None] = mapped_column(String(128))
    last_status: Mapped[str | None] = mapped_column(String(32))
    last_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    pulled_at: Mapped[datetime | None]
