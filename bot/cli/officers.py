"""``lapor officers``: officer accounts and their API tokens."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Annotated, TypeVar

import typer
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.runtime.settings import load_settings

app = typer.Typer(help="Officer accounts (admin, officer, viewer) and API tokens.", no_args_is_help=True)
T = TypeVar("T")


def in_session(work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run ``work`` in one committed transaction on the configured (migrated) database."""
    from storage.db import create_engine, session_factory
    from storage.migrate import upgrade

    async def run() -> T:
        engine = create_engine(load_settings().database_url)
        try:
            await upgrade(engine)
            async with session_factory(engine)() as session:
                result = await work(session)
                await session.commit()
                return result
        finally:
            await engine.dispose()

    return asyncio.run(run())


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(1)


def _password(ask: bool) -> str | None:
    if not ask:
        return None
    value: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return value


@app.command("add")
def add(
    email: str,
    agency: Annotated[str | None, typer.Option(help="Agency code (required for officers).")] = None,
    role: Annotated[str, typer.Option(help="admin, officer or viewer.")] = "officer",
    name: Annotated[str | None, typer.Option(help="Display name.")] = None,
    identity_access: Annotated[
        bool, typer.Option("--identity-access", help="May read reporters' identities (never anonymous ones).")
    ] = False,
    password: Annotated[bool, typer.Option("--password", help="Ask for a dashboard password.")] = False,
) -> None:
    """Create an officer and print their API token (shown once, stored hashed)."""
    from bot.officers.accounts import AccountError, add_officer

    secret = _password(password)

    async def work(session: AsyncSession) -> str:
        _, token = await add_officer(
            session, email, role, datetime.now(UTC),
            agency_code=agency, name=name, password=secret, identity_access=identity_access,
        )  # fmt: skip
        return token

    try:
        token = in_session(work)
    except AccountError as exc:
        raise _fail(str(exc)) from None
    typer.echo(f"created {role} {email.strip().lower()}")
    typer.echo(f"API token (shown once, keep it safe): {token}")


@app.command("password")
def password(email: str) -> None:
    """Set the dashboard password of an officer."""
    from bot.officers.accounts import AccountError, set_password

    secret = _password(True) or ""
    try:
        in_session(lambda session: set_password(session, email, secret))
    except AccountError as exc:
        raise _fail(str(exc)) from None
    typer.echo("password set")


@app.command("token")
def token(
    email: str, label: Annotated[str | None, typer.Option(help="What the token is for.")] = None
) -> None:
    """Issue another API token for an officer (shown once)."""
    from bot.officers.accounts import AccountError, new_token

    try:
        value = in_session(lambda session: new_token(session, email, datetime.now(UTC), label))
    except AccountError as exc:
        raise _fail(str(exc)) from None
    typer.echo(f"API token (shown once, keep it safe): {value}")


@app.command("list")
def list_officers() -> None:
    """All officer accounts."""
    from storage.models import Agency
    from storage.officers_models import Officer

    async def work(session: AsyncSession) -> list[tuple[Officer, str | None]]:
        rows = await session.execute(
            select(Officer, Agency.code)
            .outerjoin(Agency, Agency.id == Officer.agency_id)
            .order_by(Officer.email)
        )
        return list(rows.all())

    for officer, code in in_session(work):
        flags = " identity" if officer.identity_access else ""
        state = "" if officer.active else " (disabled)"
        typer.echo(f"{officer.email:<40} {officer.role:<8} {code or '-':<18}{flags}{state}")
