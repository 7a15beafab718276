"""CPU work off the event loop: a bounded pool of threads for Argon2 and Pillow.

While a coroutine hashes a password or decodes a photo inline, every other turn
waits. Both libraries release the GIL in their C code, so threads run them in
parallel; the bound keeps Argon2's memory (64 MiB a hash) and Pillow's from
growing with the number of requests: the rest queue here, not on the loop.
"""

from __future__ import annotations

import asyncio
import functools
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")
CPU_THREADS = max(2, min(8, os.cpu_count() or 2))
_POOL = ThreadPoolExecutor(max_workers=CPU_THREADS, thread_name_prefix="lapor-cpu")


async def in_cpu_pool(work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """``work(*args, **kwargs)`` in the CPU pool; the loop serves others meanwhile."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_POOL, functools.partial(work, *args, **kwargs))
