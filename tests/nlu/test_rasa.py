"""The Rasa backend against a fake Rasa server on 127.0.0.1: mapping and fallbacks."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

import nlu
from nlu.parser import BuiltinParser
from nlu.rasa import RasaParser, map_intent
from tests.nlu.conftest import NOW

TEXT = "kepala desa Budi minta uang 2 juta untuk surat, kemarin, di Kabupaten Garut"


@dataclass
class FakeRasa:
    """What the fake server answers next, and what it was asked."""

    status: int = 200
    answer: Any = None
    delay: float = 0.0
    requests: list[dict[str, Any]] = field(default_factory=list)
    url: str = ""


def _handler(state: FakeRasa) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length))
            parts = urlsplit(self.path)
            state.requests.append({"path": parts.path, "query": parse_qs(parts.query), **body})
            time.sleep(state.delay)
            payload = state.answer if isinstance(state.answer, bytes) else json.dumps(state.answer).encode()
            self.send_response(state.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def rasa() -> Iterator[FakeRasa]:
    state = FakeRasa()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield state
    server.shutdown()
    server.server_close()


def rasa_parser(rasa: FakeRasa, builtin: BuiltinParser, **options: Any) -> RasaParser:
    options.setdefault("cooldown", 0.0)
    return RasaParser(rasa.url, "s3cret", builtin, timeout=0.3, **options)


def good_answer(text: str) -> dict[str, Any]:
    start = text.index("Budi")
    return {
        "text": text,
        "intent": {"name": "report", "confidence": 0.91},
        "entities": [
            {"entity": "person", "value": "Budi", "start": start, "end": start + 4,
             "confidence_entity": 0.88, "extractor": "DIETClassifier"},
            {"entity": "date", "value": "yesterday", "start": 0, "end": 4},
        ],
        "response_selector": {
            "all_retrieval_intents": ["report"],
            "report": {
                "response": {"intent_response_key": "report/corruption", "confidence": 0.8},
                "ranking": [
                    {"intent_response_key": "report/corruption", "confidence": 0.8},
                    {"intent_response_key": "report/civil_registration", "confidence": 0.15},
                ],
            },
        },
    }  # fmt: skip


def test_a_good_answer_is_mapped_and_our_extractors_kept(rasa: FakeRasa, parser: BuiltinParser) -> None:
    rasa.answer = good_answer(TEXT)
    result = rasa_parser(rasa, parser).parse(TEXT, NOW)
    [request] = rasa.requests
    assert request["path"] == "/model/parse"
    assert request["query"] == {"token": ["s3cret"]}
    assert request["text"] == TEXT
    assert (result.intent, result.intent_confidence) == ("report", 0.91)
    assert result.category == "corruption"
    assert [(r.label, r.confidence) for r in result.category_ranking] == [
        ("corruption", 0.8),
        ("civil_registration", 0.15),
    ]
    assert result.regency == "Kabupaten Garut"
    assert result.incident_date is not None and result.incident_date.isoformat() == "2024-02-29"
    person = result.entity("person")
    assert person is not None and (person.text, person.extra["source"]) == ("Budi", "rasa")
    # Rasa's own "date" is dropped: dates are ours.
    assert [e.value for e in result.entities if e.type == "date"] == ["2024-02-29"]


def test_rasa_intent_wins_and_drops_the_category(rasa: FakeRasa, parser: BuiltinParser) -> None:
    rasa.answer = {"text": "x", "intent": {"name": "greet", "confidence": 0.7}, "entities": []}
    result = rasa_parser(rasa, parser).parse("jalan rusak di depan rumah", NOW)
    assert (result.intent, result.category, result.kind) == ("greet", None, None)


def test_report_without_a_category_takes_ours(rasa: FakeRasa, parser: BuiltinParser) -> None:
    rasa.answer = {"text": "x", "intent": {"name": "report", "confidence": 0.6}, "entities": []}
    result = rasa_parser(rasa, parser).parse("air PDAM mati sudah 5 hari", NOW)
    assert (result.intent, result.category) == ("report", "utilities")


@pytest.mark.parametrize(
    ("intent", "expected"),
    [
        ({"name": "report/health", "confidence": 0.9}, ("report", 0.9, "health")),
        ({"name": "nlu_fallback", "confidence": 0.3}, ("out_of_scope", 0.3, None)),
        ({"name": "order_pizza", "confidence": 0.8}, ("out_of_scope", 0.8, None)),
        ({"name": "report/weather", "confidence": 0.8}, ("report", 0.8, None)),
    ],
)
def test_intent_mapping(intent: dict[str, Any], expected: tuple[str, float, str | None]) -> None:
    assert map_intent({"intent": intent}) == expected


@pytest.mark.parametrize(
    ("status", "answer", "delay"),
    [
        (500, {"error": "boom"}, 0.0),
        (503, {"error": "loading"}, 0.0),
        (401, {"message": "unauthorized"}, 0.0),
        (200, None, 1.0),  # slower than the 0.3 s timeout
        (200, b"<html>not json</html>", 0.0),
        (200, {"text": "no intent here"}, 0.0),
    ],
    ids=["500", "503", "401", "timeout", "not-json", "no-intent"],
)
def test_failures_fall_back_to_the_builtin_model(
    rasa: FakeRasa, parser: BuiltinParser, status: int, answer: Any, delay: float
) -> None:
    rasa.status, rasa.answer, rasa.delay = status, answer or good_answer(TEXT), delay
    started = time.perf_counter()
    result = rasa_parser(rasa, parser).parse(TEXT, NOW)
    assert time.perf_counter() - started < 0.9
    assert len(rasa.requests) == 1
    assert result == parser.parse(TEXT, NOW)


def test_a_refused_connection_falls_back(parser: BuiltinParser) -> None:
    closed = RasaParser("http://127.0.0.1:9", None, parser, timeout=0.3)
    assert closed.parse(TEXT, NOW) == parser.parse(TEXT, NOW)


def test_after_a_failure_rasa_rests_for_the_cooldown(rasa: FakeRasa, parser: BuiltinParser) -> None:
    rasa.status, rasa.answer = 500, {"error": "boom"}
    backend = rasa_parser(rasa, parser, cooldown=60.0)
    backend.parse(TEXT, NOW)
    backend.parse(TEXT, NOW)
    assert len(rasa.requests) == 1


def test_load_parser_builds_the_rasa_backend(rasa: FakeRasa, model_path: Any) -> None:
    rasa.answer = {"text": "x", "intent": {"name": "thanks", "confidence": 0.99}}
    backend = nlu.load_parser(model_path, rasa.url, "tok")
    assert isinstance(backend, RasaParser)
    assert backend.parse("hmm", NOW).intent == "thanks"
    assert rasa.requests[0]["query"] == {"token": ["tok"]}
