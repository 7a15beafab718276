"""``lapor officers add`` and ``lapor agencies``: accounts with a one-time token, an idempotent seed."""

from __future__ import annotations

import asyncio
import re

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from bot.cli.agencies import app as agencies
from bot.cli.main import app as lapor
from bot.officers.auth import digest
from storage.db import create_engine, session_factory
from storage.officers_models import ApiToken, Officer

runner = CliRunner()


async def _stored(url: str) -> tuple[Officer, ApiToken]:
    engine = create_engine(url)
    try:
        async with session_factory(engine)() as session:
            officer = (await session.scalars(select(Officer))).one()
            token = (await session.scalars(select(ApiToken))).one()
            return officer, token
    finally:
        await engine.dispose()


def test_officers_add_prints_a_token_stored_only_as_a_hash(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LAPOR_DATABASE_URL", database_url)

    seeded = runner.invoke(agencies, ["seed"])
    again = runner.invoke(agencies, ["seed"])
    added = runner.invoke(
        lapor, ["officers", "add", "Budi@PUPR.go.id", "--agency", "pupr", "--role", "officer"]
    )
    twice = runner.invoke(lapor, ["officers", "add", "budi@pupr.go.id", "--agency", "PUPR"])
    no_agency = runner.invoke(lapor, ["officers", "add", "x@pupr.go.id", "--agency", "NOPE"])
    routed = runner.invoke(agencies, ["route", "infrastructure", "34.04"])

    assert seeded.exit_code == 0 and "agencies: 18 added" in seeded.output
    assert "agencies: 0 added, 0 updated; routing rules: 0 added" in again.output
    assert added.exit_code == 0, added.output
    token = re.search(r"API token \(shown once, keep it safe\): (lpt_\S+)", added.output)
    assert token
    officer, stored = asyncio.run(_stored(database_url))
    assert (officer.email, officer.role, officer.identity_access) == ("budi@pupr.go.id", "officer", False)
    assert stored.token_hash == digest(token.group(1)) and token.group(1) not in stored.token_hash
    assert twice.exit_code == 1 and "already has an account" in twice.output
    assert no_agency.exit_code == 1 and "no agency" in no_agency.output
    assert routed.output.startswith("PEMKAB-SLEMAN")
