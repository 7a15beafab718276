"""What the officer side needs when a process starts."""

from __future__ import annotations

import logging

from bot.officers.autoclose import Housekeeping
from bot.officers.seed import seed_if_empty
from bot.officers.service import Services

log = logging.getLogger("lapor.officers")


async def on_start(runtime: Services) -> None:
    """Seed the example agencies on first start; give the worker its periodic jobs."""
    seeded = await seed_if_empty(runtime.sessions, runtime.clock())
    if seeded is not None:
        log.info("seeded %d agencies and %d routing rules", seeded.agencies_added, seeded.rules_added)
    runtime.dispatcher.housekeeping = Housekeeping(runtime)
