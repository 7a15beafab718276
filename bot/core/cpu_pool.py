"""CPU work off the event loop: a bounded pool of threads for Argon2 and Pillow.

While a coroutine hashes a password or decodes a photo inline, every other turn
waits. Both libraries release the GIL in their C code, so threads run them in
parallel; the bound leaves a core to the loop and keeps Argon2's memory (64 MiB a hash) and Pillow's from
growing with the number of requests: the rest queue here, not on the loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")
# One core stays with the event loop: on two cores, one thread does the heavy work.
CPU_THREADS = max(1, min(8, (os.cpu_count() or 2) - 1))
WORKER_NICENESS = 10  # the loop's thread keeps priority over the heavy work


def _lower_priority() -> None:
    """Run this pool thread at a lower priority (Linux: per thread), so it never starves the loop."""
    with contextlib.suppress(AttributeError, OSError):  # not Linux, or not allowed: as it is
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), WORKER_NICENESS)


_POOL = ThreadPoolExecutor(
    max_workers=CPU_THREADS, thread_name_prefix="lapor-cpu", initializer=_lower_priority
)


async def in_cpu_pool(work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """``work(*args, **kwargs)`` in the CPU pool; the loop serves others meanwhile."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_POOL, functools.partial(work, *args, **kwargs))


def settle_heap() -> None:
    """Once started: move the objects alive now out of the garbage collector's view.

    A full collection scans every object (modules, models, templates): on a big process
    that is a few hundred milliseconds with the loop stopped. What exists after start-up
    lives as long as the process, so ``gc.freeze`` spares the scans.
    """
    gc.collect()
    gc.freeze()
