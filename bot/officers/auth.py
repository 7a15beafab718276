"""Officer identities: password hashes, API tokens, dashboard sessions, roles.

Passwords are hashed with Argon2id; API tokens and session cookies are random
values of which only the SHA-256 is stored, so a database leak gives no login.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.cpu_pool import in_cpu_pool
from storage.officers_models import ApiToken, Officer, OfficerSession

TOKEN_PREFIX = "lpt_"  # noqa: S105 - a visible prefix, not a secret
SESSION_LIFETIME = timedelta(hours=8)
TOKEN_TOUCH_EVERY = timedelta(minutes=5)
_hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Verified against when the e-mail is unknown, so both cases take as long."""
    return _hasher.hash(secrets.token_urlsafe(16))


class Role(StrEnum):
    ADMIN = "admin"
    OFFICER = "officer"
    VIEWER = "viewer"


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is asking, and what they may see and do."""

    officer_id: int
    email: str
    role: Role
    agency_id: int | None
    identity_access: bool

    @property
    def can_write(self) -> bool:
        return self.role is not Role.VIEWER

    @property
    def all_agencies(self) -> bool:
        """Admins see every agency; a viewer without an agency is a read-only auditor."""
        return self.role is Role.ADMIN or (self.role is Role.VIEWER and self.agency_id is None)

    @property
    def is_system(self) -> bool:
        return self.officer_id == 0

    @property
    def actor(self) -> str:
        """How history and audit entries name this person (no personal data)."""
        return "system" if self.is_system else f"officer:{self.officer_id}"


# The automatic jobs (auto-close, reminders) act as this principal: every agency, no identities.
SYSTEM = Principal(0, "system", Role.ADMIN, None, identity_access=False)


def principal_of(officer: Officer) -> Principal:
    return Principal(
        officer.id, officer.email, Role(officer.role), officer.agency_id, officer.identity_access
    )


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(stored: str | None, password: str) -> bool:
    """Constant-effort check: an absent hash still costs one Argon2 verification."""
    try:
        return _hasher.verify(stored or _dummy_hash(), password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


async def issue_token(
    session: AsyncSession, officer: Officer, now: datetime, label: str | None = None
) -> str:
    """Create an API token for ``officer``; the plain value is returned once, never stored."""
    token = new_token()
    session.add(ApiToken(officer_id=officer.id, token_hash=digest(token), label=label, created_at=now))
    await session.flush()
    return token


async def officer_for_token(session: AsyncSession, token: str, now: datetime) -> Officer | None:
    """The active officer holding ``token`` (unrevoked), or None."""
    row = await session.scalar(
        select(ApiToken).where(ApiToken.token_hash == digest(token), ApiToken.revoked_at.is_(None))
    )
    if row is None:
        return None
    officer = await session.get(Officer, row.officer_id)
    if officer is None or not officer.active:
        return None
    # Writing on every call would make every read a write; now and then is enough.
    if row.last_used_at is None or now - row.last_used_at > TOKEN_TOUCH_EVERY:
        row.last_used_at = now
    return officer


async def authenticate(session: AsyncSession, email: str, password: str) -> Officer | None:
    officer = await session.scalar(select(Officer).where(Officer.email == email.strip().lower()))
    stored = officer.password_hash if officer and officer.active else None
    # End the read before the slow check: no connection (nor SQLite's write lock) is held
    # through Argon2, which runs off the loop.
    await session.commit()
    matches = await in_cpu_pool(password_matches, stored, password)
    return officer if matches and officer else None


async def open_session(session: AsyncSession, officer: Officer, now: datetime) -> tuple[str, str]:
    """Start a dashboard session; returns (cookie value, CSRF token)."""
    cookie, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    session.add(
        OfficerSession(
            id=digest(cookie),
            officer_id=officer.id,
            csrf_token=csrf,
            created_at=now,
            expires_at=now + SESSION_LIFETIME,
        )
    )
    officer.last_login_at = now
    await session.flush()
    return cookie, csrf


async def session_officer(
    session: AsyncSession, cookie: str, now: datetime
) -> tuple[Officer, OfficerSession] | None:
    row = await session.get(OfficerSession, digest(cookie))
    if row is None or row.expires_at <= now:
        return None
    officer = await session.get(Officer, row.officer_id)
    if officer is None or not officer.active:
        return None
    return officer, row


async def close_session(session: AsyncSession, cookie: str) -> None:
    await session.execute(delete(OfficerSession).where(OfficerSession.id == digest(cookie)))


def same_secret(expected: str, given: str | None) -> bool:
    return given is not None and hmac.compare_digest(expected.encode(), given.encode())
