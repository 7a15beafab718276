"""A hand-computed fixture: five PUPR complaints in March 2026 and one of Kemenkes.

Indonesian holidays of March 2026 (Nyepi, Idul Fitri and cuti bersama) fall on
18-24 March, so "Mon 16 -> Wed 25" is 2 working days although 9 calendar days.
Today is Monday 6 April 2026 (3 April is Good Friday).

| | created | verified | first response | resolved | verify_due | followup_due |
| A | Mon 2 Mar | Wed 4 (2 wd; 20:00 UTC on the 3rd) | Mon 9 (5) | Fri 13 (9) | 5 Mar | 17 Mar |
| B | Mon 16 Mar | Wed 25 (2) | Thu 26 (3) | Wed 1 Apr (7), reopened | 26 Mar | 8 Apr |
| C | Tue 3 Mar | Tue 10 (5) late | - | - | 6 Mar | 25 Mar |
| D | Wed 4 Mar | never (received) | - | - | 9 Mar | 26 Mar |
| E | Thu 5 Mar | - | rejected Fri 6 (1) | - | 10 Mar | 27 Mar |
"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.runtime.process import Runtime
from tests.insights.support import Seed, at, plant

TODAY = datetime(2026, 4, 6, 3, 0, tzinfo=UTC)


async def plant_march(runtime: Runtime) -> dict[str, str]:
    """The six complaints; letter -> ticket."""
    seeds = {
        "A": Seed(
            "PUPR", at("2026-03-02"), rating=5,
            moves=[
                (at("2026-03-03", 20), "received", "verified"), (at("2026-03-09"), "verified", "in_progress"),
                (at("2026-03-13"), "in_progress", "resolved"), (at("2026-03-16"), "resolved", "closed"),
            ],
        ),
        "B": Seed(
            "PUPR", at("2026-03-16"), reopen_count=1, category="environment",
            moves=[
                (at("2026-03-25"), "received", "verified"), (at("2026-03-26"), "verified", "in_progress"),
                (at("2026-04-01"), "in_progress", "resolved"), (at("2026-04-02"), "resolved", "in_progress"),
            ],
        ),
        "C": Seed("PUPR", at("2026-03-03"), moves=[(at("2026-03-10"), "received", "verified")]),
        "D": Seed("PUPR", at("2026-03-04"), kind="aspiration", channel="telegram", anonymous=True),
        "E": Seed(
            "PUPR", at("2026-03-05"), kind="information_request", confidential=True,
            regency_code="32.73", regency_name="Kota Bandung",
            moves=[(at("2026-03-06"), "received", "rejected")],
        ),
        "F": Seed(
            "KEMENKES", at("2026-03-02"), category="health",
            moves=[(at("2026-03-30"), "received", "verified")],
        ),
    }  # fmt: skip
    return {letter: await plant(runtime, seed) for letter, seed in seeds.items()}
