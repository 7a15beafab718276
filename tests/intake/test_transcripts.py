"""Every transcript in tests/intake/transcripts, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.runtime.process import Runtime
from storage.models import Complaint, Reporter
from tests.support import Clock
from tests.support.citizen import Citizen
from tests.support.transcripts import REGENERATE, Transcript, duration, load_all

TRANSCRIPTS = load_all()


@pytest.mark.parametrize("transcript", TRANSCRIPTS, ids=[t.path.stem for t in TRANSCRIPTS])
async def test_transcript(transcript: Transcript, runtime: Runtime, clock: Clock) -> None:
    people: dict[str, Citizen] = {}
    default = transcript.raw.get("address", "rest:warga")
    for number, step in enumerate(transcript.steps, 1):
        if "wait" in step:
            clock.now += duration(step["wait"])
            continue
        address = step.get("as", default)
        person = people.setdefault(address, Citizen(runtime, address))
        replies = await person.says(step["user"])
        keys = [r.key for r in replies]
        text = "\n".join(r.text for r in replies)
        if REGENERATE:
            step["bot"] = keys
            continue
        assert keys == step["bot"], f"step {number} ({step['user']!r}): got {keys}\n{text}"
        for expected in _list(step.get("contains")):
            assert expected in text, f"step {number}: {expected!r} not in\n{text}"
        for unexpected in _list(step.get("not_contains")):
            assert unexpected not in text, f"step {number}: {unexpected!r} in\n{text}"
    if REGENERATE:
        transcript.save()
        return
    await _check_expectations(runtime, transcript.raw.get("expect", {}))


def _list(value: Any) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


async def _check_expectations(runtime: Runtime, expect: dict[str, Any]) -> None:
    async with runtime.sessions() as session:
        count = await session.scalar(select(func.count()).select_from(Complaint))
        if "complaints" in expect:
            assert count == expect["complaints"]
        for fields in _list_of_dicts(expect.get("complaint")):
            owner = fields.pop("address", None)
            query = select(Complaint).order_by(Complaint.id)
            if owner:
                query = query.join(Reporter).where(Reporter.address == owner)
            complaint = (await session.scalars(query)).first()
            assert complaint is not None, "expected a stored complaint"
            for name, value in fields.items():
                actual = getattr(complaint, name)
                if isinstance(actual, date):
                    actual = actual.isoformat()
                assert actual == value, f"complaint.{name}: {actual!r} != {value!r}"


def _list_of_dicts(value: Any) -> list[dict[str, Any]]:
    if value is None:
        return []
    return [dict(v) for v in (value if isinstance(value, list) else [value])]
