"""Headline figures cached in the state store for as long as public responses may be cached.

Counting every public complaint on each page view does not scale; the same
figures for the same filter within ``MAX_AGE`` seconds are shared across
processes (a page may lag the database by at most that long, as its
``Cache-Control`` already allows).
"""

from __future__ import annotations

import hashlib
import json

from bot.http.public_http import MAX_AGE
from bot.openness import stats
from bot.openness.queries import PublicFilter
from bot.openness.schemas import StatsOut, stats_out
from bot.runtime.process import Runtime


def _key(criteria: PublicFilter) -> str:
    digest = hashlib.sha256(json.dumps(criteria.as_params(), sort_keys=True).encode()).hexdigest()[:32]
    return f"public-figures:{digest}"


async def figures(runtime: Runtime, criteria: PublicFilter) -> StatsOut:
    key = _key(criteria)
    stored = await runtime.state.get(key)
    if stored is not None:
        return StatsOut.model_validate(stored)
    async with runtime.sessions() as session:
        fresh = stats_out(await stats.figures(session, criteria, runtime.clock()))
    await runtime.state.set(key, fresh.model_dump(mode="json"), ttl=MAX_AGE)
    return fresh
