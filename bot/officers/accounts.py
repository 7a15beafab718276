"""Creating and managing officer accounts (used by the CLI and by tests)."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.cpu_pool import in_cpu_pool
from bot.officers.audit import audit
from bot.officers.auth import Role, hash_password, issue_token
from storage.models import Agency
from storage.officers_models import Officer

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 10


class AccountError(ValueError):
    """A readable reason why the account cannot be created or changed."""


async def add_officer(
    session: AsyncSession,
    email: str,
    role: str,
    now: datetime,
    *,
    agency_code: str | None = None,
    name: str | None = None,
    password: str | None = None,
    identity_access: bool = False,
) -> tuple[Officer, str]:
    """Create an officer and their first API token; returns (officer, token shown once)."""
    email = email.strip().lower()
    if not _EMAIL.match(email):
        raise AccountError(f"not an e-mail address: {email!r}")
    try:
        chosen = Role(role)
    except ValueError:
        raise AccountError(f"role must be one of {', '.join(Role)}") from None
    agency = await _agency(session, agency_code)
    if chosen is Role.OFFICER and agency is None:
        raise AccountError("an officer needs --agency CODE")
    if await session.scalar(select(Officer.id).where(Officer.email == email)):
        raise AccountError(f"{email} already has an account")
    officer = Officer(
        email=email,
        name=name,
        role=chosen,
        agency_id=agency.id if agency else None,
        identity_access=identity_access,
        active=True,
        created_at=now,
        password_hash=await _hashed(password) if password else None,
    )
    session.add(officer)
    await session.flush()
    audit(session, None, "officer_added", now, officer=officer.id, role=chosen.value)
    return officer, await issue_token(session, officer, now, label="created")


async def _agency(session: AsyncSession, code: str | None) -> Agency | None:
    if not code:
        return None
    agency = await session.scalar(select(Agency).where(Agency.code == code.strip().upper()))
    if agency is None:
        raise AccountError(f"no agency with code {code!r} (see `lapor agencies list`)")
    return agency


async def _hashed(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"passwords need at least {MIN_PASSWORD} characters")
    return await in_cpu_pool(hash_password, password)  # Argon2: off the loop


async def officer_by_email(session: AsyncSession, email: str) -> Officer:
    officer = await session.scalar(select(Officer).where(Officer.email == email.strip().lower()))
    if officer is None:
        raise AccountError(f"no officer {email}")
    return officer


async def set_password(session: AsyncSession, email: str, password: str) -> None:
    officer = await officer_by_email(session, email)
    officer.password_hash = await _hashed(password)


async def new_token(session: AsyncSession, email: str, now: datetime, label: str | None = None) -> str:
    officer = await officer_by_email(session, email)
    audit(session, None, "token_issued", now, officer=officer.id)
    return await issue_token(session, officer, now, label)
