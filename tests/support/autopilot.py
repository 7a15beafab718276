"""A scripted citizen who answers whatever the bot asks, by reply key.

Robust to the NLU pre-filling more or less: it answers only what is asked.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

Send = Callable[[str], Awaitable[list[dict[str, object]]]]


@dataclass
class Answers:
    description: str
    location: str
    identity: str = "Publik"
    date: str = "lewati"

    def for_key(self, key: str) -> str | None:
        return {
            "consent": "setuju",
            "ask_description": self.description,
            "retry_description": self.description,
            "ask_location": self.location,
            "retry_location": self.location,
            "choose_region": "1",
            "confirm_category": "ya",
            "ask_category": "1",
            "ask_kind": "1",
            "ask_date": self.date,
            "retry_date": "lewati",
            "ask_photo": "lewati",
            "ask_identity": self.identity,
            "summary": "kirim",
        }.get(key)


MAX_TURNS = 20


async def file_complaint(send: Callable[[str], Awaitable[list[str]]], answers: Answers) -> list[str]:
    """Chat until the bot answers ``submitted``; return every key seen."""
    seen: list[str] = []
    keys = await send(answers.description)
    for _ in range(MAX_TURNS):
        seen += keys
        if "submitted" in keys:
            return seen
        reply = answers.for_key(keys[-1])
        if reply is None:
            raise AssertionError(f"no scripted answer for {keys[-1]!r}; so far {seen}")
        keys = await send(reply)
    raise AssertionError(f"no ticket after {MAX_TURNS} turns: {seen}")
