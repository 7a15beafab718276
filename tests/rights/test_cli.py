"""`lapor reporter export|erase` and `lapor retention run` on each database and state store."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from bot.cli.main import app
from bot.http.app import create_app
from bot.runtime.process import build_runtime
from bot.runtime.settings import load_settings
from tests.rights.support import ADDRESS, NAME, database_dump, found_in, seed, state_dump


@pytest.fixture
def env(
    monkeypatch: pytest.MonkeyPatch, database_url: str, tmp_path: Path, state_settings: dict[str, Any]
) -> dict[str, Any]:
    options = {"state_path": tmp_path / "state.sqlite3", **state_settings}
    monkeypatch.setenv("LAPOR_DATABASE_URL", database_url)
    for name, value in options.items():
        monkeypatch.setenv(f"LAPOR_{name.upper()}", str(value))
    return {"database_url": database_url, **options}


def _in_runtime(options: dict[str, Any], work: Any) -> Any:
    async def run() -> Any:
        runtime = await build_runtime(load_settings(worker_in_process=False, **options))
        try:
            transport = httpx.ASGITransport(app=create_app(runtime=runtime))
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
                return await work(runtime, client)
        finally:
            await runtime.close()

    return asyncio.run(run())


def _invoke(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def test_export_then_erase_then_export_finds_nothing(env: dict[str, Any]) -> None:
    ticket = _in_runtime(env, _ticket)

    exported = _invoke("reporter", "export", ADDRESS)
    dry = _invoke("reporter", "erase", ADDRESS)
    erased = _invoke("reporter", "erase", ADDRESS, "--yes")
    after = _invoke("reporter", "export", ADDRESS)

    assert exported.exit_code == 0, exported.output
    data = json.loads(exported.stdout)
    assert data["address"] == ADDRESS and data["reporter"]["display_name"] == NAME
    assert data["requests"][-1]["kind"] == "export"  # the request itself is recorded
    assert dry.exit_code == 0 and json.loads(dry.stdout)["dry_run"] is True and "--yes" in dry.stderr
    assert erased.exit_code == 0, erased.output
    report = json.loads(erased.stdout)
    assert set(report) >= {
        "address",
        "complaints_anonymised",
        "messages_erased",
        "attachments_erased",
        "held",
    }
    assert (
        report["complaints_anonymised"] == 1
        and report["held"] == []
        and report["tickets_anonymised"] == [ticket]
    )
    assert after.exit_code == 1 and ADDRESS in after.stderr and after.stdout == ""
    leftovers = _in_runtime(env, _everywhere)
    assert found_in(leftovers) == []


def test_unknown_address_exits_1(env: dict[str, Any]) -> None:
    assert _invoke("reporter", "export", "telegram:404").exit_code == 1
    assert _invoke("reporter", "erase", "telegram:404", "--yes").exit_code == 1


def test_retention_dry_run_prints_json(env: dict[str, Any]) -> None:
    result = _invoke("retention", "run", "--dry-run")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["dry_run"] is True and report["complaints_anonymised"] == []


async def _ticket(runtime: Any, client: httpx.AsyncClient) -> str:
    return (await seed(runtime, client)).ticket


async def _everywhere(runtime: Any, client: httpx.AsyncClient) -> str:
    return await database_dump(runtime) + await state_dump(runtime)
