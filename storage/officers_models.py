"""Records of the officer side: accounts, tokens, sessions, routing, audit.

Imported at the end of ``storage.models`` so that one ``Base.metadata`` holds
every table (migrations, tests and TRUNCATE see them all).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, BigId


class Officer(Base):
    """A person working complaints: ``admin``, ``officer`` or ``viewer``.

    ``agency_id`` scopes what an officer or viewer sees; an admin sees every
    agency. ``identity_access`` is the separate grant to read reporters'
    identities (never those of anonymous reporters).
    """

    __tablename__ = "officers"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True)
    identity_access: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]
    last_login_at: Mapped[datetime | None]


class ApiToken(Base):
    """An API bearer token; only its SHA-256 is stored (shown once at creation)."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class OfficerSession(Base):
    """A dashboard login; ``id`` is the SHA-256 of the cookie's random value."""

    __tablename__ = "officer_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class RoutingRule(Base):
    """Category and region prefix to agency; "" matches anything.

    ``region_prefix`` holds Kemendagri code digits without dots ("34", "3404").
    """

    __tablename__ = "routing_rules"
    __table_args__ = (UniqueConstraint("category", "region_prefix", name="uq_routing_rules_match"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    category: Mapped[str] = mapped_column(String(32), default="")
    region_prefix: Mapped[str] = mapped_column(String(16), default="")
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    created_at: Mapped[datetime]


class AuditEntry(Base):
    """Append-only: every identity access and every change officers make.

    ``detail`` never holds personal data (no names, phones or addresses).
    On PostgreSQL a trigger refuses UPDATE and DELETE on this table.
    """

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime]
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"), index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(32))
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"), index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class IdempotencyKey(Base):
    """The stored answer to a POST made with an ``Idempotency-Key`` header."""

    __tablename__ = "idempotency_keys"

    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    response: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime]


class OfficerNotification(Base):
    """Something an agency's officers should look at: a reporter replied, a deadline passed.

    ``dedup_key`` makes reminders idempotent across workers running in parallel.
    """

    __tablename__ = "officer_notifications"
    __table_args__ = (UniqueConstraint("complaint_id", "dedup_key", name="uq_officer_notifications_dedup"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    dedup_key: Mapped[str | None] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    read_at: Mapped[datetime | None]
