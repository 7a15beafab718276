"""Hotspots: a suggested group on the dashboard, and one action that answers every reporter."""

from __future__ import annotations

import re

import httpx

from bot.runtime.process import Runtime
from tests.insights.support import Seed, at, plant
from tests.officers.test_dashboard import PASSWORD, login
from tests.support import Clock
from tests.support.officers import RecordingConnector, officer

GARBAGE = [
    "Sampah menumpuk di belakang Pasar Condongcatur sudah seminggu tidak diangkut, bau sekali",
    "tumpukan sampah pasar condongcatur belum diambil petugas, baunya sampai ke rumah warga",
]


async def _group(runtime: Runtime) -> list[str]:
    tickets = []
    for i, (text, language) in enumerate(zip(GARBAGE, ["id", "en"], strict=True)):
        seed = Seed("PUPR", at(f"2026-03-0{2 + i}"), category="environment", channel="fake", title=text[:40],
                    description=text, district_code="34.04.07", language=language)  # fmt: skip
        tickets.append(await plant(runtime, seed))
    await plant(runtime, Seed("PUPR", at("2026-03-02"), title="Jalan Godean berlubang", channel="fake"))
    return tickets


async def test_one_status_change_answers_every_reporter_in_their_language(
    client: httpx.AsyncClient, runtime: Runtime, clock: Clock, fake: RecordingConnector
) -> None:
    clock.now = at("2026-03-05")
    tickets = await _group(runtime)
    await officer(runtime, "o@pupr.go.id", agency="PUPR", password=PASSWORD)
    await login(client, "o@pupr.go.id")

    page = await client.get("/dashboard/hotspot")
    assert page.status_code == 200 and all(t in page.text for t in tickets)
    assert "Godean" not in page.text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf
    done = await client.post(
        "/dashboard/hotspot",
        data={"csrf": csrf.group(1), "ticket": tickets, "action": "status", "status": "verified"},
    )
    await runtime.dispatcher.drain()

    assert done.status_code == 200 and done.text.count("berhasil") == 2
    sent = {m.address: m for m in fake.sent}
    assert len(sent) == 2
    languages = sorted(m.language for m in sent.values())
    assert languages == ["en", "id"]


async def test_merging_a_group_closes_the_others_into_the_oldest(
    client: httpx.AsyncClient, runtime: Runtime, clock: Clock, fake: RecordingConnector
) -> None:
    clock.now = at("2026-03-05")
    oldest, newer = await _group(runtime)
    await officer(runtime, "o@pupr.go.id", agency="PUPR", password=PASSWORD)
    await login(client, "o@pupr.go.id")
    page = await client.get("/dashboard/hotspot")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf

    await client.post(
        "/dashboard/hotspot", data={"csrf": csrf.group(1), "ticket": [oldest, newer], "action": "merge"}
    )
    await runtime.dispatcher.drain()
    after = await client.get("/dashboard/hotspot")

    assert [m.key for m in fake.sent] == ["push.merged"]
    assert oldest not in after.text  # no group is left to suggest
