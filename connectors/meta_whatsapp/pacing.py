"""Pace sends to the Cloud API's limits: ~80 messages a second per business number,
and a short gap between messages to one recipient so a split reply stays in order.

After a pair-rate error the recipient is held back (``penalize``); after the
number's throughput limit (130429) every send is (``hold_all``).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from connectors.pacing import SendPacer

DEFAULT_RATE = 80.0  # messages a second, Meta's default throughput per number
DEFAULT_RECIPIENT_GAP = 0.2  # seconds between messages to the same citizen


class Pacer(SendPacer):
    """The shared pacer with Meta's defaults, configured by rate and per-recipient gap."""

    def __init__(
        self,
        rate: float = DEFAULT_RATE,
        recipient_gap: float = DEFAULT_RECIPIENT_GAP,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        super().__init__(recipient_gap, rate, clock=clock, sleep=sleep)
