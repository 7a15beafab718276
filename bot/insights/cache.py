"""A short-lived, per-process memory of computed statistics.

Statistics over a year of 100,000 complaints take seconds to compute on SQLite
(and a few hundred milliseconds on PostgreSQL); officers reload, page back and
change one filter at a time. Figures for the same scope and selection are
reused for ``TTL`` seconds, and the page says when they were computed. The key
holds the scope (agency, role, confidential access), never a person.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

T = TypeVar("T")
TTL = 120.0
SIZE = 256


@dataclass(frozen=True, slots=True)
class Cached(Generic[T]):
    value: T
    computed_at: datetime


class TtlCache(Generic[T]):
    """Least recently used entries go first; an entry older than ``ttl`` is computed again."""

    def __init__(
        self, ttl: float = TTL, size: int = SIZE, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl, self.size, self.monotonic = ttl, size, monotonic
        self._entries: OrderedDict[Hashable, tuple[float, Cached[T]]] = OrderedDict()

    async def get(
        self, key: Hashable, compute: Callable[[], Awaitable[T]], now: Callable[[], datetime]
    ) -> Cached[T]:
        found = self._entries.get(key)
        if found is not None and self.monotonic() - found[0] < self.ttl:
            self._entries.move_to_end(key)
            return found[1]
        entry = Cached(await compute(), now())
        self._entries[key] = (self.monotonic(), entry)
        self._entries.move_to_end(key)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)
        return entry

    def clear(self) -> None:
        self._entries.clear()
