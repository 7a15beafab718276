"""A dialogue in progress survives a restart of the process, on both stores."""

from __future__ import annotations

from bot.runtime.process import Runtime
from tests.support import Clock
from tests.support.citizen import Citizen, RuntimeFactory

DESCRIPTION = "sampah menumpuk di pinggir jalan dekat pasar sudah tiga hari"


async def test_dialogue_continues_after_restart(make_runtime: RuntimeFactory) -> None:
    first = await make_runtime()
    before = Citizen(first, "rest:ani")
    await before.says("halo")
    await before.says("setuju")
    assert await before.keys(DESCRIPTION) != ["ask_description"]
    pending = (await first.state.get("conv:rest:ani") or {})["awaiting"]
    await first.close()

    second = await make_runtime()
    state = await second.state.get("conv:rest:ani")
    assert state is not None and state["awaiting"] == pending
    assert state["slots"]["description"] == DESCRIPTION


async def test_quiet_citizen_is_welcomed_back_then_expired(runtime: Runtime, clock: Clock) -> None:
    citizen = Citizen(runtime, "rest:quiet")
    await citizen.says("halo")
    await citizen.says("setuju")
    await citizen.says(DESCRIPTION)
    asked = citizen.replies[-1].key
    clock.advance(hours=3)
    keys = await citizen.keys("bantuan")
    assert keys == ["welcome_back", "help", asked]
    clock.advance(minutes=5)
    assert (await citizen.keys("bantuan")) == ["help", asked], "no welcome back after a short pause"
    clock.advance(hours=3)
    assert (await citizen.keys("Jl. Pasar Baru no 5, Kabupaten Sleman"))[0] == "welcome_back"
    clock.advance(hours=25)
    keys = await citizen.keys("lampu jalan mati di depan rumah saya sejak seminggu")
    assert keys[0] == "draft_expired"
    state = await runtime.state.get("conv:rest:quiet")
    assert state is not None
    assert "lampu jalan" in state["slots"].get("description", "")
