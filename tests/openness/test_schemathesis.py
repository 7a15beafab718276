"""Property-based tests of the open-data API and Open311 from the OpenAPI schema: no input gives a 5xx."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.python.asgi import shutdown_lifespans

from bot.http.app import create_app
from bot.runtime.process import build_runtime
from bot.runtime.settings import Settings, load_settings
from tests.support.officers import insert_complaint

EXAMPLES = {GenerationMode.POSITIVE: 15, GenerationMode.NEGATIVE: 8}


async def _prepare(config: Settings) -> None:
    runtime = await build_runtime(config, migrate=False)
    try:
        for code in ("PUPR", "KEMENKES", None):
            await insert_complaint(runtime, code)
    finally:
        await runtime.close()


@pytest.mark.slow
def test_no_generated_request_makes_the_public_side_fail(database_url: str, tmp_path: Path) -> None:
    config = load_settings(
        database_url=database_url, state_path=tmp_path / "state.sqlite3", worker_in_process=False,
        public_rate_limit_per_minute=100_000,
    )  # fmt: skip
    asyncio.run(_prepare(config))
    app = create_app(config)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app).include(
        path_regex="^/(api/public|open311)/"
    )
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 9
    seen: Counter[int] = Counter()
    try:
        for operation in operations:
            for mode, examples in EXAMPLES.items():
                _fuzz(operation, mode, examples, seen)
    finally:
        shutdown_lifespans()
    assert seen[200] > 15 and set(seen) <= {200, 304, 400, 403, 404, 422}, seen


def _fuzz(
    operation: schemathesis.APIOperation, mode: GenerationMode, examples: int, seen: Counter[int]
) -> None:
    @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: schemathesis.Case) -> None:
        response = case.call()
        seen[response.status_code] += 1
        assert response.status_code < 500, (
            f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:500]}"
        )

    try:
        run()
    except Unsatisfiable:
        # A path of plain strings (``discovery.{fmt}``) has no schema-breaking variant.
        assert mode is GenerationMode.NEGATIVE, operation.path
