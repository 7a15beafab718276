"""Run corpus conversations against the pure engine (the built-in parser, no I/O)."""

from __future__ import annotations

from typing import Any

from bot.engine.flow import step
from bot.engine.state import ConversationState
from bot.engine.turn import Turn, UserMessage
from dialogues.schema import load_dialogue
from dialogues.texts import load_texts
from nlu import load_parser
from nlu.types import Parser
from tests.dialogues.corpus import Conversation, Outcome, Send, play
from tests.support import START


class EngineChat:
    """One citizen talking to ``step`` directly, with the consent replay the service does."""

    def __init__(self, parser: Parser, address: str) -> None:
        self.parser = parser
        self.dialogue = load_dialogue()
        self.texts = load_texts()
        self.state = ConversationState(address=address)
        self.count = 0

    async def send(self, text: str) -> tuple[list[str], dict[str, Any] | None]:
        turn = self._step(self.state, text)
        keys = [r.key for r in turn.replies]
        if turn.replay:
            follow = self._step(turn.state, turn.replay)
            keys += [r.key for r in follow.replies]
            follow.effects[:0] = turn.effects
            turn = follow
        self.state = turn.state
        submitted = turn.submitted
        return keys, record_of(submitted.slots) if submitted else None

    def _step(self, state: ConversationState, text: str) -> Turn:
        self.count += 1
        parse = self.parser.parse(text, START)
        ids = (f"LPR-{self.count:08d}", f"conv-{self.count}")
        return step(self.dialogue, self.texts, state, UserMessage(text, text), parse, START, new_ids=ids)


def record_of(slots: dict[str, Any]) -> dict[str, Any]:
    region = (slots.get("location") or {}).get("region") or {}
    return {
        "kind": slots.get("kind"),
        "category": slots.get("category"),
        "regency": region.get("regency_name"),
        "date": slots.get("incident_date"),
        "identity": slots.get("identity", "public"),
    }


async def run_on_engine(conversation: Conversation, parser: Parser | None = None) -> Outcome:
    chat = EngineChat(parser or load_parser(), conversation.address)
    send: Send = chat.send
    return await play(conversation, send)
