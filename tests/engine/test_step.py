"""The pure engine on its own: ``step`` with a dialogue, a state and a parse; no database, no I/O."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.engine import ConversationState, step
from bot.engine.turn import GiveConsent, StatusQuery, Submit, Turn, UserMessage
from dialogues.schema import Dialogue, load_dialogue
from dialogues.texts import Texts, load_texts
from nlu.types import ParseResult

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
IDS = ("LPR-TEST0001", "conv-1")
ADDRESS = "rest:budi"


@pytest.fixture(scope="module")
def dialogue() -> Dialogue:
    return load_dialogue()


@pytest.fixture(scope="module")
def texts() -> Texts:
    return load_texts()


def said(text: str, intent: str = "report", **fields: object) -> tuple[UserMessage, ParseResult]:
    return UserMessage(text=text, original=text), ParseResult(
        text=text, intent=intent, intent_confidence=0.9, **fields
    )  # type: ignore[arg-type]


def run(dialogue: Dialogue, texts: Texts, state: ConversationState, text: str, **parse: object) -> Turn:
    message, parsed = said(text, **parse)  # type: ignore[arg-type]
    return step(dialogue, texts, state, message, parsed, NOW, new_ids=IDS)


def test_a_first_message_is_held_while_consent_is_asked(dialogue: Dialogue, texts: Texts) -> None:
    state = ConversationState(address=ADDRESS)
    turn = run(dialogue, texts, state, "jalan berlubang di Sleman", category="infrastructure")
    assert [r.key for r in turn.replies] == ["consent"]
    assert turn.state.awaiting == "consent" and turn.state.pending_text == "jalan berlubang di Sleman"
    assert turn.effects == [] and state.awaiting is None  # the input state is not mutated


def test_consent_replays_the_held_message(dialogue: Dialogue, texts: Texts) -> None:
    held = run(
        dialogue, texts, ConversationState(address=ADDRESS), "jalan berlubang", category="infrastructure"
    )
    turn = run(dialogue, texts, held.state, "setuju", intent="affirm")
    assert any(isinstance(effect, GiveConsent) for effect in turn.effects)
    assert turn.state.consented and turn.replay == "jalan berlubang"


def test_refusing_consent_stores_nothing_and_keeps_no_text(dialogue: Dialogue, texts: Texts) -> None:
    held = run(
        dialogue, texts, ConversationState(address=ADDRESS), "jalan berlubang", category="infrastructure"
    )
    turn = run(dialogue, texts, held.state, "tidak setuju", intent="deny")
    assert not turn.state.consented and turn.state.pending_text is None
    assert not any(isinstance(effect, Submit | GiveConsent) for effect in turn.effects)


def test_a_status_question_is_an_effect_for_the_service(dialogue: Dialogue, texts: Texts) -> None:
    state = ConversationState(address=ADDRESS, consented=True)
    turn = run(dialogue, texts, state, "status LPR-1RDT56CJ", intent="check_status", ticket="LPR-1RDT56CJ")
    queries = [effect for effect in turn.effects if isinstance(effect, StatusQuery)]
    assert len(queries) == 1 and queries[0].ticket == "LPR-1RDT56CJ"


def test_the_same_input_gives_the_same_turn(dialogue: Dialogue, texts: Texts) -> None:
    state = ConversationState(address=ADDRESS)
    first = run(dialogue, texts, state, "halo", intent="greet")
    second = run(dialogue, texts, state, "halo", intent="greet")
    assert first.state.to_dict() == second.state.to_dict()
    assert [r.text for r in first.replies] == [r.text for r in second.replies]
