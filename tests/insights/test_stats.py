"""Statistics against the hand-computed March 2026 fixture, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import httpx

from bot.engine.dates import local_date
from bot.insights.period import Period
from bot.insights.scope import Selection
from bot.insights.stats import statistics
from bot.officers.auth import Principal, Role
from bot.runtime.process import Runtime
from tests.insights.fixtures import TODAY, plant_march
from tests.support import Clock
from tests.support.officers import bearer, officer

MARCH = Period(date(2026, 3, 1), date(2026, 3, 31), "week")
ADMIN = Principal(0, "admin", Role.ADMIN, None, identity_access=False)


def _counts(stats: dict, dimension: str) -> dict[str, int]:
    return {c["key"]: c["count"] for c in stats["counts"][dimension]}


async def test_an_officers_figures_match_the_hand_computed_fixture(
    client: httpx.AsyncClient, runtime: Runtime, clock: Clock
) -> None:
    clock.now = TODAY
    tickets = await plant_march(runtime)
    token = await officer(runtime, "o@pupr.go.id", agency="PUPR")

    response = await client.get(
        "/api/v1/stats",
        params={"from": "2026-03-01", "to": "2026-03-31", "by": "week"},
        headers=bearer(token),
    )

    assert response.status_code == 200, response.text
    body = response.json()
    stats = body["statistics"]
    assert body["total"] == 5 and body["overdue"] == 2
    assert stats["total"] == 5
    assert _counts(stats, "status") == {
        "closed": 1,
        "in_progress": 1,
        "verified": 1,
        "received": 1,
        "rejected": 1,
    }
    assert _counts(stats, "kind") == {"complaint": 3, "aspiration": 1, "information_request": 1}
    assert _counts(stats, "identity") == {"public": 3, "anonymous": 1, "confidential": 1}
    assert _counts(stats, "channel") == {"rest": 4, "telegram": 1}
    assert _counts(stats, "agency") == {"PUPR": 5}
    assert _counts(stats, "regency") == {"34.04": 4, "32.73": 1}
    assert _counts(stats, "province") == {"34": 4, "32": 1}
    assert _counts(stats, "category") == {"infrastructure": 4, "environment": 1}
    durations = {d["metric"]: (d["count"], d["median"], d["p90"]) for d in stats["durations"]}
    assert durations == {"verification": (3, 2, 5), "first_response": (3, 3, 5), "resolution": (2, 7, 9)}
    compliance = {
        (c["agency"], c["stage"]): (c["met"], c["missed"], c["share_met"]) for c in stats["compliance"]
    }
    assert compliance == {
        (None, "verification"): (3, 2, 0.6),
        (None, "follow_up"): (3, 2, 0.6),
        ("PUPR", "verification"): (3, 2, 0.6),
        ("PUPR", "follow_up"): (3, 2, 0.6),
    }
    overdue = [(o["ticket"], o["stage"], o["due_date"], o["days_over"]) for o in stats["overdue"]]
    assert overdue == [
        (tickets["D"], "verification", "2026-03-09", 14),
        (tickets["C"], "follow_up", "2026-03-25", 7),
    ]
    assert stats["reopens"] == {"resolved": 2, "reopened": 1, "rate": 0.5}
    assert stats["satisfaction"]["rated"] == 1 and stats["satisfaction"]["mean"] == 5.0
    assert stats["satisfaction"]["by_rating"]["5"] == 1
    weeks = [(p["start"], p["received"], p["resolved"]) for p in stats["series"]]
    assert weeks == [
        ("2026-02-23", 0, 0), ("2026-03-02", 4, 0), ("2026-03-09", 0, 1),
        ("2026-03-16", 1, 0), ("2026-03-23", 0, 0), ("2026-03-30", 0, 0),
    ]  # fmt: skip
    assert stats["top_problems"][0] == {
        "category": "infrastructure",
        "regency": "Kabupaten Sleman",
        "count": 3,
    }


async def test_an_officer_never_counts_another_agency(
    client: httpx.AsyncClient, runtime: Runtime, clock: Clock
) -> None:
    clock.now = TODAY
    tickets = await plant_march(runtime)
    kemenkes = await officer(runtime, "o@kemkes.go.id", agency="KEMENKES")
    params = {"from": "2026-03-01", "to": "2026-03-31"}

    own = (await client.get("/api/v1/stats", params=params, headers=bearer(kemenkes))).json()
    asked_for_pupr = await client.get(
        "/api/v1/stats", params={**params, "agency": "PUPR"}, headers=bearer(kemenkes)
    )

    assert own["total"] == 1 and own["statistics"]["total"] == 1
    assert _counts(own["statistics"], "agency") == {"KEMENKES": 1}
    assert all(o["ticket"] != tickets["C"] for o in own["statistics"]["overdue"])
    assert asked_for_pupr.json()["statistics"]["total"] == 0
    async with runtime.sessions() as session:
        everything = await statistics(session, Selection(ADMIN, MARCH, local_date(TODAY)))
    assert everything.total == 6
    assert {c.key: c.count for c in everything.counts["agency"]} == {"PUPR": 5, "KEMENKES": 1}


async def test_a_viewer_reads_statistics_without_confidential_reports(
    client: httpx.AsyncClient, runtime: Runtime, clock: Clock
) -> None:
    clock.now = TODAY
    await plant_march(runtime)
    viewer = await officer(runtime, "v@pupr.go.id", role="viewer", agency="PUPR")

    response = await client.get(
        "/api/v1/stats", params={"from": "2026-03-01", "to": "2026-03-31"}, headers=bearer(viewer)
    )

    assert response.status_code == 200
    assert response.json()["statistics"]["total"] == 4  # E is confidential
