"""Give the worker's housekeeping pass the retention purge."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.officers.autoclose import Housekeeping
from bot.rights.retention import RetentionJob

if TYPE_CHECKING:
    from bot.runtime.process import Runtime


def schedule_retention(runtime: Runtime) -> None:
    """Run the purge in the pass that runs once per slot across all workers."""
    housekeeping = runtime.dispatcher.housekeeping
    if isinstance(housekeeping, Housekeeping):
        job = RetentionJob(runtime.sessions, runtime.state, runtime.settings.retention_days)
        housekeeping.jobs.append(job)
