"""The records: SQLAlchemy 2 declarative models shared by every process.

Times are stored as timezone-aware UTC. Personal data lives on ``Reporter``
only, so that hiding a reporter's identity is one join away from everything.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# SQLite only auto-increments INTEGER PRIMARY KEY; BigInteger elsewhere.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite would hand back naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware one")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None or value.tzinfo is not None:
            return value
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        datetime: UtcDateTime(),
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


class Agency(Base):
    """A government agency (instansi) that handles complaints."""

    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    region_code: Mapped[str | None] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]


class Reporter(Base):
    """A citizen on one channel address; holds all of their personal data."""

    __tablename__ = "reporters"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    address: Mapped[str] = mapped_column(String(200), unique=True)
    channel: Mapped[str] = mapped_column(String(32))
    display_name: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(32))
    nik_hash: Mapped[str | None] = mapped_column(String(64))
    nik_masked: Mapped[str | None] = mapped_column(String(32))
    language: Mapped[str] = mapped_column(String(5), default="id")
    consented_at: Mapped[datetime | None]
    opted_out: Mapped[bool] = mapped_column(Boolean, default=False)
    unreachable: Mapped[bool] = mapped_column(Boolean, default=False)
    last_inbound_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    erased_at: Mapped[datetime | None]


class Conversation(Base):
    """One dialogue that may become a complaint; its messages are the transcript."""

    __tablename__ = "conversations"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("reporters.id"), index=True)
    started_at: Mapped[datetime]
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"))


class Message(Base):
    """One transcript line, inbound or outbound."""

    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_conversation_id_id", "conversation_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"))
    direction: Mapped[str] = mapped_column(String(3))  # "in" | "out"
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class Complaint(Base):
    """A complaint, aspiration or information request (SP4N-LAPOR! fields)."""

    __tablename__ = "complaints"
    __table_args__ = (
        Index("ix_complaints_agency_status", "agency_id", "status"),
        Index("ix_complaints_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    ticket: Mapped[str] = mapped_column(String(16), unique=True)
    conversation_id: Mapped[str] = mapped_column(String(32), unique=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("reporters.id"), index=True)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    kind: Mapped[str] = mapped_column(String(24))
    category: Mapped[str] = mapped_column(String(32), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    description_raw: Mapped[bytes] = mapped_column(LargeBinary)
    location_text: Mapped[str | None] = mapped_column(Text)
    province_code: Mapped[str | None] = mapped_column(String(16))
    province_name: Mapped[str | None] = mapped_column(String(100))
    regency_code: Mapped[str | None] = mapped_column(String(16), index=True)
    regency_name: Mapped[str | None] = mapped_column(String(100))
    district_code: Mapped[str | None] = mapped_column(String(16))
    district_name: Mapped[str | None] = mapped_column(String(100))
    village_code: Mapped[str | None] = mapped_column(String(16))
    village_name: Mapped[str | None] = mapped_column(String(100))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    incident_date: Mapped[date | None] = mapped_column(Date)
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default="received")
    language: Mapped[str] = mapped_column(String(5), default="id")
    source_channel: Mapped[str] = mapped_column(String(32))
    source_message_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    verify_due: Mapped[date | None] = mapped_column(Date)
    forward_due: Mapped[date | None] = mapped_column(Date)
    followup_due: Mapped[date | None] = mapped_column(Date)
    resolved_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    reopen_count: Mapped[int] = mapped_column(Integer, default=0)
    rating: Mapped[int | None] = mapped_column(Integer)
    rejection_reason: Mapped[str | None] = mapped_column(String(32))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"))
    # UU PDP: a complaint under legal hold is never erased or anonymised.
    legal_hold: Mapped[bool] = mapped_column(Boolean, default=False)
    # When the identity was removed (the reporter's request, or retention).
    anonymised_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    reporter: Mapped[Reporter] = relationship(lazy="raise")
    events: Mapped[list[StatusEvent]] = relationship(
        lazy="raise", order_by="StatusEvent.id", back_populates="complaint"
    )
    attachments: Mapped[list[Attachment]] = relationship(lazy="raise", order_by="Attachment.id")


class StatusEvent(Base):
    """An append-only history entry: who changed what, when, and why."""

    __tablename__ = "status_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(24), default="status")
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    public_note: Mapped[str | None] = mapped_column(Text)
    internal_note: Mapped[str | None] = mapped_column(Text)

    complaint: Mapped[Complaint] = relationship(lazy="raise", back_populates="events")


class Attachment(Base):
    """A sanitised photo or document (EXIF stripped), with its checksum."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(32), index=True)
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"), index=True)
    content_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]


class InboundSeen(Base):
    """Provider message ids already processed: the durable dedup record.

    Written in the same transaction as the turn's effects, so a crash before
    commit lets the provider's retry through and a crash after it does not.
    """

    __tablename__ = "inbound_seen"

    channel: Mapped[str] = mapped_column(String(32), primary_key=True)
    external_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    received_at: Mapped[datetime]


class OutboxMessage(Base):
    """A message to send after commit; workers claim rows with a lease."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        # Not unique: Telegram's message ids repeat across chats.
        Index("ix_outbox_provider_message_id", "provider_message_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    address: Mapped[str] = mapped_column(String(200), index=True)
    channel: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16), default="reply")  # reply | push
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    claimed_until: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    last_error: Mapped[str | None] = mapped_column(Text)
    provider_message_id: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]


class RightsRequest(Base):
    """A reporter's request under UU PDP (export, erasure) or a retention purge: who, when, what.

    ``detail`` holds counts and tickets only, never personal data; the reporter
    row it points at may since have been anonymised.
    """

    __tablename__ = "rights_requests"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime]
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("reporters.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # export | erase | retention
    actor: Mapped[str] = mapped_column(String(200))  # reporter | cli:<user> | system
    outcome: Mapped[str] = mapped_column(String(16))  # done | held | nothing
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class HeldReceipt(Base):
    """A delivery report that came before its message's provider id was stored.

    A provider can call back before the sender has recorded the id its API
    returned; the report is kept here and applied when ``mark_sent`` stores it.
    """

    __tablename__ = "held_receipts"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    provider_message_id: Mapped[str] = mapped_column(String(128), index=True)
    status: Mapped[str] = mapped_column(String(16))
    error: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str | None] = mapped_column(String(32))
    received_at: Mapped[datetime]


from storage import officers_models as _officers  # noqa: E402,F401
from storage import openness_models as _openness  # noqa: E402,F401
