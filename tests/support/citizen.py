"""A citizen chatting with a runtime directly (no HTTP): the reply keys they get."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from bot.runtime.process import Runtime
from connectors.messages import Inbound, Outbound


@dataclass
class Citizen:
    """One person chatting on one address; returns the reply keys."""

    runtime: Runtime
    address: str
    sent: int = 0
    replies: list[Outbound] = field(default_factory=list)

    async def says(self, text: str, **extra: Any) -> list[Outbound]:
        self.sent += 1
        inbound = Inbound(address=self.address, text=text, received_at=self.runtime.clock(), **extra)
        outcome = await self.runtime.conversations.handle(inbound)
        self.replies = outcome.replies
        return outcome.replies

    async def keys(self, text: str, **extra: Any) -> list[str]:
        return [r.key for r in await self.says(text, **extra)]


RuntimeFactory = Callable[..., Coroutine[Any, Any, Runtime]]
