"""What processing one inbound message produced."""

from __future__ import annotations

from dataclasses import dataclass, field

from connectors.messages import Outbound


@dataclass(slots=True)
class Outcome:
    """The replies, the outbox rows to send after commit, and whether it was a duplicate."""

    replies: list[Outbound] = field(default_factory=list)
    outbox_ids: list[int] = field(default_factory=list)
    duplicate: bool = False
