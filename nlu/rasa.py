"""A Rasa server as the intent classifier, with the built-in parser behind it.

``POST {url}/model/parse?token=...`` gives the intent (and, through the retrieval
intent ``report/<category>`` or a ResponseSelector, the category) and entities.
Places, dates and identifiers still come from our extractors. On a timeout, a
connection error, a 5xx, a 401/403 or a malformed answer the built-in parser
answers instead, and Rasa is left alone for ``cooldown`` seconds.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import replace
from datetime import datetime
from typing import Any

import httpx

from nlu.kind import detect_kind
from nlu.normalize import normalize
from nlu.parser import BuiltinParser
from nlu.types import CATEGORIES, INTENTS, Entity, ParseResult, ScoredLabel

_log = logging.getLogger(__name__)
# Entity types our own extractors own: Rasa's versions of them are ignored.
OWN_TYPES = frozenset(
    {"province", "regency", "district", "village", "address", "date", "phone", "nik", "ticket", "email"}
)


class RasaUnavailable(Exception):
    """Rasa did not give a usable answer (the reason is the message)."""


class RasaParser:
    """Intent from Rasa, everything else ours; the built-in parser on any failure."""

    def __init__(
        self,
        url: str,
        token: str | None,
        fallback: BuiltinParser,
        *,
        timeout: float = 0.5,
        cooldown: float = 10.0,
        client: httpx.Client | None = None,
    ) -> None:
        self.endpoint = url.rstrip("/") + "/model/parse"
        self.token = token
        self.fallback = fallback
        self.cooldown = cooldown
        self.client = client or httpx.Client(timeout=httpx.Timeout(timeout))
        self._down_until = 0.0
        self._lock = threading.Lock()

    def parse(self, text: str, now: datetime) -> ParseResult:
        """See ``nlu.types.Parser``."""
        own = self.fallback.parse(text, now)
        if time.monotonic() < self._down_until:
            return own
        try:
            answer = self.ask(text)
        except RasaUnavailable as error:
            _log.warning("rasa unavailable (%s); using the built-in model", error)
            with self._lock:
                self._down_until = time.monotonic() + self.cooldown
            return own
        return merge(own, answer)

    def ask(self, text: str) -> dict[str, Any]:
        """Rasa's raw parse of ``text``; raises ``RasaUnavailable``."""
        params = {"token": self.token} if self.token else {}
        try:
            response = self.client.post(self.endpoint, params=params, json={"text": text})
        except httpx.HTTPError as error:
            raise RasaUnavailable(type(error).__name__) from error
        if response.status_code != 200:
            raise RasaUnavailable(f"HTTP {response.status_code}")
        try:
            answer = response.json()
        except ValueError as error:
            raise RasaUnavailable("invalid JSON") from error
        if not isinstance(answer, dict) or not isinstance(answer.get("intent"), dict):
            raise RasaUnavailable("no intent in the answer")
        return answer

    def close(self) -> None:
        """Close the HTTP client."""
        self.client.close()


def merge(own: ParseResult, answer: dict[str, Any]) -> ParseResult:
    """Our result with Rasa's intent, category (when it gives one) and extra entities."""
    intent, confidence, category = map_intent(answer)
    ranking = _selector_ranking(answer) if category else ()
    if intent == "report" and category is None:
        ranking = own.category_ranking  # Rasa named no category: ours
        category = own.category
    if intent != "report":
        category, ranking = None, ()
    if category and not ranking:
        ranking = (ScoredLabel(category, confidence),)
    return replace(
        own,
        intent=intent,
        intent_confidence=confidence,
        category=category,
        category_confidence=ranking[0].confidence if ranking else 0.0,
        category_ranking=ranking,
        kind=detect_kind(normalize(own.text), intent, category),
        entities=own.entities + tuple(_entities(own.text, answer)),
    )


def map_intent(answer: dict[str, Any]) -> tuple[str, float, str | None]:
    """Rasa's intent as ours: ``report/<category>`` splits, unknown names are out of scope."""
    raw = answer.get("intent") or {}
    name = str(raw.get("full_retrieval_intent_name") or raw.get("name") or "")
    confidence = float(raw.get("confidence") or 0.0)
    intent, _, category = name.partition("/")
    if intent not in INTENTS:
        return "out_of_scope", confidence, None
    selected = _selector_key(answer)
    category = category or selected
    return intent, confidence, category if category in CATEGORIES else None


def _selector_key(answer: dict[str, Any]) -> str:
    selector = (answer.get("response_selector") or {}).get("report") or {}
    key = str((selector.get("response") or {}).get("intent_response_key") or "")
    return key.partition("/")[2]


def _selector_ranking(answer: dict[str, Any]) -> tuple[ScoredLabel, ...]:
    selector = (answer.get("response_selector") or {}).get("report") or {}
    ranking = []
    for row in selector.get("ranking") or []:
        label = str(row.get("intent_response_key", "")).partition("/")[2]
        if label in CATEGORIES:
            ranking.append(ScoredLabel(label, float(row.get("confidence") or 0.0)))
    return tuple(ranking[:2])


def _entities(text: str, answer: dict[str, Any]) -> list[Entity]:
    out = []
    for row in answer.get("entities") or []:
        kind = str(row.get("entity", ""))
        start, end = row.get("start"), row.get("end")
        if kind in OWN_TYPES or not isinstance(start, int) or not isinstance(end, int):
            continue
        confidence = float(row.get("confidence_entity") or 1.0)
        extra = {"source": "rasa", "extractor": row.get("extractor")}
        out.append(Entity(kind, str(row.get("value")), start, end, text[start:end], confidence, extra))
    return out
