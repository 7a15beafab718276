"""Property-based tests of the officer API from its own OpenAPI schema: no input makes it fail (5xx)."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.python.asgi import shutdown_lifespans

from bot.http.app import create_app
from bot.runtime.process import build_runtime
from bot.runtime.settings import Settings, load_settings
from tests.support.officers import insert_complaint, officer

# Per operation: valid requests, then requests that break the schema on purpose.
EXAMPLES = {GenerationMode.POSITIVE: 10, GenerationMode.NEGATIVE: 5}


async def _prepare(config: Settings) -> tuple[str, list[str]]:
    """An admin token and a few complaints, so that generated calls also meet real records."""
    runtime = await build_runtime(config, migrate=False)
    try:
        token = await officer(runtime, "root@lapor.go.id", role="admin", identity_access=True)
        tickets = [await insert_complaint(runtime, code) for code in ("PUPR", "KEMENKES", None)]
        return token, tickets
    finally:
        await runtime.close()


@pytest.mark.slow
def test_no_generated_request_makes_the_api_fail(database_url: str, tmp_path: Path) -> None:
    config = load_settings(
        database_url=database_url, state_path=tmp_path / "state.sqlite3", worker_in_process=False
    )
    token, tickets = asyncio.run(_prepare(config))
    app = create_app(config)  # its runtime starts in schemathesis' event loop (the ASGI lifespan)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app).include(path_regex="^/api/v1/")
    headers = {"Authorization": f"Bearer {token}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    seen: dict[GenerationMode, Counter[int]] = {mode: Counter() for mode in EXAMPLES}
    try:
        for operation in operations:
            for mode, examples in EXAMPLES.items():
                _fuzz(operation, mode, examples, headers, tickets, seen[mode])
    finally:
        shutdown_lifespans()
    valid = seen[GenerationMode.POSITIVE]
    assert valid[200] > 40 and valid[401] == 0, seen  # valid calls got past authentication


def _fuzz(
    operation: schemathesis.APIOperation,
    mode: GenerationMode,
    examples: int,
    headers: dict[str, str],
    tickets: list[str],
    seen: Counter[int],
) -> None:
    strategy = operation.as_strategy(generation_mode=mode)
    if "{ticket}" in operation.path:
        # Half the cases aim at complaints that exist, so the actions run for real.
        strategy = strategy.map(lambda case: _aim(case, tickets))

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case: schemathesis.Case) -> None:
        response = case.call(headers=headers)
        seen[response.status_code] += 1
        assert response.status_code < 500, (
            f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:500]}"
        )

    run()


def _aim(case: schemathesis.Case, tickets: list[str]) -> schemathesis.Case:
    ticket = case.path_parameters.get("ticket") if case.path_parameters else None
    if ticket is not None and len(ticket) % 2 == 0:
        case.path_parameters["ticket"] = tickets[len(ticket) % len(tickets)]
    return case
