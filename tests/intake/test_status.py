"""Status look-ups show details only to the reporter's own address."""

from __future__ import annotations

from bot.runtime.process import Runtime
from tests.support.autopilot import Answers, file_complaint
from tests.support.citizen import Citizen


async def _ticket_of(citizen: Citizen) -> str:
    await file_complaint(
        citizen.keys,
        Answers(
            description="lampu lalu lintas di perempatan pasar mati sejak kemarin", location="Kota Bandung"
        ),
    )
    submitted = next(r for r in citizen.replies if r.key == "submitted")
    return "LPR-" + submitted.text.split("LPR-")[1][:8]


async def test_own_ticket_shows_status_and_next_step(runtime: Runtime) -> None:
    owner = Citizen(runtime, "rest:owner")
    ticket = await _ticket_of(owner)
    [reply] = await owner.says(f"status {ticket.lower()}")
    assert reply.key == "status_one"
    assert ticket in reply.text and "Diterima" in reply.text and "verifikasi" in reply.text


async def test_someone_elses_ticket_looks_like_an_unknown_one(runtime: Runtime) -> None:
    ticket = await _ticket_of(Citizen(runtime, "rest:owner"))
    stranger = Citizen(runtime, "rest:stranger")
    await stranger.says("halo")
    await stranger.says("setuju")
    [theirs] = await stranger.says(f"status {ticket}")
    [unknown] = await stranger.says("status LPR-7K3M9QX2")
    assert theirs.key == unknown.key == "status_not_found"
    assert theirs.text.replace(ticket, "T") == unknown.text.replace("LPR-7K3M9QX2", "T")
    assert "Diterima" not in theirs.text


async def test_status_checks_are_rate_limited(make_runtime: object) -> None:
    runtime = await make_runtime(status_checks_per_hour=2)  # type: ignore[operator]
    citizen = Citizen(runtime, "rest:curious")
    await citizen.says("halo")
    await citizen.says("setuju")
    keys = [(await citizen.keys("status LPR-7K3M9QX2"))[0] for _ in range(3)]
    assert keys == ["status_not_found", "status_not_found", "status_rate_limited"]
