"""The four conversations of issue 17, as a careful operator would handle them."""

from __future__ import annotations

from typing import Any

import pytest

from bot.engine.flow import step
from bot.engine.state import ConversationState
from bot.engine.turn import UserMessage
from connectors.messages import Location
from dialogues.schema import load_dialogue
from dialogues.texts import load_texts
from nlu import load_parser
from nlu.types import Parser
from tests.dialogues.engine import EngineChat
from tests.support import START


@pytest.fixture(scope="module")
def parser() -> Parser:
    return load_parser()


async def _chat(parser: Parser, *messages: str) -> tuple[list[list[str]], dict[str, Any] | None, EngineChat]:
    chat = EngineChat(parser, "rest:warga")
    keys, record = [], None
    for text in messages:
        said, filed = await chat.send(text)
        keys.append(said)
        record = record or filed
    return keys, record, chat


async def test_a_question_is_no_place_and_a_duration_is_the_date(parser: Parser) -> None:
    keys, record, _ = await _chat(parser, "lampu jalan mati udh seminggu", "setuju", "dimana ya", "dimana ya")
    assert keys[1] == ["ask_location"]  # the date was taken: "udh seminggu"
    assert keys[2] == ["retry_location"] and keys[3] == ["retry_location"]
    assert record is None
    keys, record, _ = await _chat(
        parser, "lampu jalan mati udh seminggu", "setuju", "dimana ya", "depan SD 2 Ngaglik", "1", "1", "ya"
    )
    assert keys[3] == ["suggest_region"]
    assert record is not None
    assert (record["regency"], record["date"]) == ("Kabupaten Sleman", "2026-11-23")


async def test_a_place_given_for_the_date_fills_the_place(parser: Parser) -> None:
    state = ConversationState(address="rest:warga", consented=True, flow="complaint", conversation_id="c")
    state.slots = {"description": "jalan berlubang besar di depan rumah", "kind": "complaint"}
    state.slots["category"] = "infrastructure"
    state.awaiting = "incident_date"
    text = "deket pasar kembang, jogja"
    turn = step(
        load_dialogue(),
        load_texts(),
        state,
        UserMessage(text, text),
        parser.parse(text, START),
        START,
        new_ids=("T", "C"),
    )
    assert [r.key for r in turn.replies] == ["again_date"]
    location = turn.state.slots["location"]
    assert location["region"]["regency_name"] == "Kota Yogyakarta"
    assert "pasar kembang" in location["text"]


async def test_a_formal_aspiration_is_its_own_description(parser: Parser) -> None:
    text = "Dengan hormat, saya ingin menyampaikan aspirasi agar taman kota di Kota Malang diperbanyak"
    keys, record, chat = await _chat(parser, text, "setuju")
    assert keys[1] == ["ask_category"]  # not "Silakan ceritakan masalahnya"
    assert len(chat.state.choices) == 4 and chat.state.choices[-1][1] == "more"
    keys, record, _ = await _chat(parser, text, "setuju", "Lainnya", "5", "1", "ya")
    assert keys[2] == ["ask_category"] and keys[3] == ["ask_identity"]  # no incident date for a wish
    assert record is not None
    assert (record["kind"], record["regency"], record["date"]) == ("aspiration", "Kota Malang", None)


async def test_just_asking_is_an_information_request(parser: Parser) -> None:
    text = "bukan mau lapor, cuma tanya jam buka kantor dukcapil sleman"
    keys, record, _ = await _chat(parser, text, "setuju", "1", "ya")
    assert keys[1] == ["ask_identity"]  # no "when did it happen?"
    assert record is not None
    assert record["kind"] == "information_request"
    assert (record["category"], record["regency"]) == ("civil_registration", "Kabupaten Sleman")


async def test_a_bare_negation_files_nothing(parser: Parser) -> None:
    keys, record, _ = await _chat(parser, "bukan mau lapor kok", "setuju")
    assert record is None and "ask_location" not in keys[1]


async def test_an_ambiguous_name_is_asked_once_as_kota_or_kabupaten(parser: Parser) -> None:
    keys, _, chat = await _chat(parser, "sampah menumpuk di pasar bogor", "setuju")
    assert keys[1] == ["kota_or_kabupaten"]
    assert [title for title, _ in chat.state.choices] == ["Kabupaten Bogor", "Kota Bogor"]
    answer, _ = await chat.send("Kota")
    assert answer == ["ask_date"]
    assert chat.state.slots["location"]["region"]["name"] == "Kota Bogor"


async def test_a_shared_point_without_a_regency_asks_for_it(parser: Parser) -> None:
    state = ConversationState(address="telegram:1", consented=True, flow="complaint", conversation_id="c")
    state.slots = {"description": "jalan berlubang besar", "kind": "complaint", "category": "infrastructure"}
    state.awaiting = "location"
    point = Location(latitude=-7.78, longitude=110.36, address="")
    message = UserMessage("", "", location=point)
    turn = step(
        load_dialogue(), load_texts(), state, message, parser.parse("", START), START, new_ids=("T", "C")
    )
    assert [r.key for r in turn.replies] == ["ask_regency_for_point"]
    assert "location" not in turn.state.slots
    answer = UserMessage("kota yogyakarta", "kota yogyakarta")
    turn = step(
        load_dialogue(),
        load_texts(),
        turn.state,
        answer,
        parser.parse(answer.text, START),
        START,
        new_ids=("T", "C"),
    )
    location = turn.state.slots["location"]
    assert (location["lat"], location["region"]["regency_name"]) == (-7.78, "Kota Yogyakarta")


async def test_a_second_topic_is_offered_after_the_ticket(parser: Parser) -> None:
    text = "sampah numpuk di pasar kota kediri udh seminggu. satu lagi, lampu jalan di depan pasar juga mati"
    keys, record, _ = await _chat(parser, text, "setuju", "1", "ya")
    assert keys[3] == ["submitted", "offer_other_topic"]
    assert record is not None and record["category"] == "environment"
