"""The dialogue corpus (tests/dialogues/*.yaml) against the engine and over REST."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import select

from bot.http.app import create_app
from bot.runtime.process import Runtime
from nlu import load_parser
from nlu.types import Parser
from storage.models import Complaint
from tests.dialogues.corpus import Conversation, figures, identity_of, load_corpus, play, problems
from tests.dialogues.engine import run_on_engine
from tests.support import REST_HEADERS

CORPUS = load_corpus()


@pytest.fixture(scope="module")
def parser() -> Parser:
    return load_parser()


@pytest.mark.parametrize("conversation", CORPUS, ids=[c.id for c in CORPUS])
async def test_on_the_engine(conversation: Conversation, parser: Parser) -> None:
    outcome = await run_on_engine(conversation, parser)
    assert problems(conversation, outcome) == []


async def test_every_filed_complaint_is_routable(parser: Parser) -> None:
    outcomes = [await run_on_engine(c, parser) for c in CORPUS]
    numbers = figures(outcomes)
    print(f"\ncorpus on the engine: {numbers}")
    assert numbers["routable_share"] == 1.0
    assert numbers["conversations"] == len(CORPUS)


async def test_over_rest(runtime: Runtime) -> None:
    client = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(runtime=runtime)), base_url="http://t"
    )
    outcomes, wrong = [], []
    async with client:
        for number, conversation in enumerate(CORPUS):
            sender = f"corpus-{number}"
            outcome = await play(conversation, _rest_sender(client, runtime, sender))
            outcomes.append(outcome)
            wrong += [f"{conversation.id}: {p}" for p in problems(conversation, outcome)]
    print(f"\ncorpus over REST: {figures(outcomes)}")
    assert wrong == []


def _rest_sender(client: httpx.AsyncClient, runtime: Runtime, sender: str) -> Any:
    seen: set[int] = set()

    async def send(text: str) -> tuple[list[str], dict[str, Any] | None]:
        body = {"sender": sender, "message": text}
        response = await client.post("/webhooks/rest/webhook", json=body, headers=REST_HEADERS)
        assert response.status_code == 200, response.text
        return [], await _new_record(runtime, sender, seen)

    return send


async def _new_record(runtime: Runtime, sender: str, seen: set[int]) -> dict[str, Any] | None:
    from storage.models import Reporter

    async with runtime.sessions() as session:
        query = select(Complaint).join(Reporter).where(Reporter.address == f"rest:{sender}")
        for complaint in (await session.scalars(query.order_by(Complaint.id))).all():
            if complaint.id not in seen:
                seen.add(complaint.id)
                date = complaint.incident_date.isoformat() if complaint.incident_date else None
                return {
                    "kind": complaint.kind,
                    "category": complaint.category,
                    "regency": complaint.regency_name,
                    "date": date,
                    "identity": identity_of(complaint.anonymous, complaint.confidential),
                }
    return None
