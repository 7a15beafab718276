"""Insights benchmark: the statistics page, /api/v1/stats and the exports on 100,000 complaints.

Run: ``.venv/bin/python -m bench.insights [--complaints N] [--database-url URL]``.
Generates a data set (complaints over twelve months across the seeded agencies,
with their status history, ratings, reopenings and coordinates), then measures
through the real app (ASGI, logged in): the statistics page (target < 300 ms),
the stats API, and the streaming CSV and XLSX exports with the process's peak
memory growth. Figures are printed; nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import resource
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, insert, select, text

from bot.core.workdays import due_dates
from bot.http.app import create_app
from bot.officers.accounts import add_officer
from bot.officers.auth import hash_password
from bot.runtime.process import Runtime, build_runtime
from bot.runtime.settings import load_settings
from storage.models import Agency, Complaint, Conversation, Reporter, StatusEvent
from storage.officers_models import Officer

PASSWORD = "bench-password-1234"
END = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
START = END - timedelta(days=365)
CATEGORIES = ["infrastructure", "health", "education", "civil_registration", "environment", "utilities",
              "transportation", "public_order", "social_assistance", "corruption", "other"]  # fmt: skip
REGENCIES = [
    ("34.04", "Kabupaten Sleman", -7.72, 110.36), ("32.73", "Kota Bandung", -6.91, 107.61),
    ("31.71", "Kota Jakarta Pusat", -6.18, 106.83), ("35.78", "Kota Surabaya", -7.25, 112.75),
    ("12.71", "Kota Medan", 3.59, 98.67), ("73.71", "Kota Makassar", -5.14, 119.42),
    ("51.71", "Kota Denpasar", -8.65, 115.22), ("33.74", "Kota Semarang", -6.99, 110.42),
    ("16.71", "Kota Palembang", -2.98, 104.76), ("64.71", "Kota Balikpapan", -1.24, 116.85),
    ("91.71", "Kota Jayapura", -2.53, 140.72), ("53.71", "Kota Kupang", -10.16, 123.6),
    ("71.71", "Kota Manado", 1.47, 124.84), ("61.71", "Kota Pontianak", -0.03, 109.33),
    ("11.71", "Kota Banda Aceh", 5.55, 95.32),
]  # fmt: skip
CHANNELS = ["telegram", "whatsapp", "tel", "web", "rest"]
KINDS = ["complaint"] * 8 + ["aspiration", "information_request"]


def _history(
    rng: random.Random, created: datetime
) -> tuple[list[tuple[datetime, str, str]], int | None, int]:
    moves: list[tuple[datetime, str, str]] = []
    at, status = created, "received"

    def move(days: float, target: str) -> None:
        nonlocal at, status
        at = at + timedelta(days=days, hours=rng.random() * 8)
        moves.append((at, status, target))
        status = target

    if rng.random() < 0.05:
        move(rng.random() * 3, "rejected")
        return moves, None, 0
    if rng.random() < 0.85:
        move(rng.expovariate(1 / 2.5), "verified")
        if rng.random() < 0.8:
            move(rng.expovariate(1 / 4), "in_progress")
            if rng.random() < 0.7:
                move(rng.expovariate(1 / 10), "resolved")
                reopened = 0
                if rng.random() < 0.06:
                    move(rng.random() * 5, "in_progress")
                    move(rng.expovariate(1 / 6), "resolved")
                    reopened = 1
                if rng.random() < 0.6:
                    move(rng.random() * 10, "closed")
                    return moves, rng.choice([5, 5, 4, 4, 4, 3, 2, 1]), reopened
                return moves, None, reopened
    return moves, None, 0


def _rows(n: int, agency_ids: list[int], seed: int = 7) -> tuple[list[dict[str, Any]], ...]:
    rng = random.Random(seed)
    reporters, conversations, complaints, events = [], [], [], []
    for i in range(1, n + 1):
        created = START + timedelta(seconds=rng.random() * (END - START).total_seconds())
        code, name, lat, lon = rng.choice(REGENCIES)
        moves, rating, reopened = _history(rng, created)
        moves = [m for m in moves if m[0] < END]
        dues = due_dates((created + timedelta(hours=7)).date())
        channel = rng.choice(CHANNELS)
        reporters.append(
            {
                "id": i,
                "address": f"{channel}:bench-{i}",
                "channel": channel,
                "language": "id",
                "display_name": f"Warga {i}",
                "phone": f"+62812{i:08d}",
                "created_at": created,
            }
        )
        conversations.append({"id": f"b{i:031d}", "reporter_id": i, "started_at": created})
        located = rng.random() < 0.6
        complaints.append({
            "id": i, "ticket": f"LPR-B{i:07d}"[:16], "conversation_id": f"b{i:031d}", "reporter_id": i,
            "agency_id": rng.choice(agency_ids), "kind": rng.choice(KINDS),
            "category": rng.choice(CATEGORIES),
            "title": f"Laporan nomor {i}", "description": f"Uraian laporan nomor {i} di {name}",
            "description_raw": b"-", "province_code": code[:2], "regency_code": code, "regency_name": name,
            "latitude": lat + rng.gauss(0, 0.05) if located else None,
            "longitude": lon + rng.gauss(0, 0.05) if located else None,
            "anonymous": rng.random() < 0.1, "confidential": rng.random() < 0.1,
            "status": moves[-1][2] if moves else "received", "language": "id", "source_channel": channel,
            "source_message_ids": [], "verify_due": dues.verify, "forward_due": dues.forward,
            "followup_due": dues.follow_up, "rating": rating if moves and moves[-1][2] == "closed" else None,
            "reopen_count": reopened, "created_at": created, "updated_at": moves[-1][0] if moves else created,
            "resolved_at": next((m[0] for m in reversed(moves) if m[2] == "resolved"), None),
        })  # fmt: skip
        events.append({"complaint_id": i, "at": created, "actor": "reporter", "action": "status",
                       "from_status": None, "to_status": "received"})  # fmt: skip
        events += [
            {
                "complaint_id": i,
                "at": at,
                "actor": "officer:1",
                "action": "status",
                "from_status": a,
                "to_status": b,
            }
            for at, a, b in moves
        ]
    return reporters, conversations, complaints, events


async def _seed(runtime: Runtime, n: int, reuse: bool) -> int:
    async with runtime.sessions() as session:
        present = int(await session.scalar(select(func.count()).select_from(Complaint)) or 0)
        if present and reuse:
            print(f"reusing the {present:,} complaints already there")
            return present
        if present:
            raise SystemExit("the benchmark needs an empty database (or --reuse)")
        agency_ids = list((await session.scalars(select(Agency.id))).all())
    tables = (Reporter, Conversation, Complaint, StatusEvent)
    started = time.perf_counter()
    for model, rows in zip(tables, _rows(n, agency_ids), strict=True):
        for i in range(0, len(rows), 5000):
            async with runtime.sessions() as session:
                await session.execute(insert(model), rows[i : i + 5000])
                await session.commit()
    async with runtime.sessions() as session:
        if session.get_bind().dialect.name == "postgresql":
            for table in ("reporters", "complaints", "status_events"):
                await session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                           f"(SELECT max(id) FROM {table}))"))  # fmt: skip
            await session.execute(text("ANALYZE"))
        else:
            await session.execute(text("ANALYZE"))
        await session.commit()
        events = await session.scalar(select(func.count()).select_from(StatusEvent))
    print(f"seeded {n:,} complaints, {events:,} history events in {time.perf_counter() - started:.1f} s")
    return int(events or 0)


async def _login(client: httpx.AsyncClient, email: str) -> None:
    form = await client.get("/dashboard/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert csrf
    await client.post("/dashboard/login", data={"email": email, "password": PASSWORD, "csrf": csrf.group(1)})


async def _timed(call: Callable[[], Awaitable[Any]], rounds: int) -> list[float]:
    await call()  # warm-up: templates, statement caches
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        await call()
        times.append((time.perf_counter() - started) * 1000)
    return times


def _report(name: str, times: list[float], target: float | None = None) -> None:
    goal = f"  (target < {target:.0f} ms)" if target else ""
    print(f"{name:<52} median {statistics.median(times):7.1f} ms  min {min(times):7.1f} ms  "
          f"max {max(times):7.1f} ms{goal}")  # fmt: skip


async def _download(client: httpx.AsyncClient, url: str) -> tuple[float, int, int]:
    """(ms, bytes, peak RSS growth in MB) of a streamed download, the body discarded."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started, size = time.perf_counter(), 0
    async with client.stream("GET", url) as response:
        response.raise_for_status()
        async for chunk in response.aiter_bytes():
            size += len(chunk)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return (time.perf_counter() - started) * 1000, size, (after - before) // 1024


async def _accounts(runtime: Runtime) -> None:
    async with runtime.sessions() as session:
        if await session.scalar(select(Officer.id).where(Officer.email == "admin@bench.go.id")):
            return
        admin, _ = await add_officer(session, "admin@bench.go.id", "admin", END)
        admin.password_hash = hash_password(PASSWORD)
        pupr, _ = await add_officer(session, "o@bench.go.id", "officer", END, agency_code="PUPR")
        pupr.password_hash = hash_password(PASSWORD)
        await session.commit()


async def run(n: int, database_url: str | None, rounds: int, reuse: bool) -> None:
    folder = Path(tempfile.mkdtemp(prefix="lapor-bench-insights-"))
    url = database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    settings = load_settings(database_url=url, state_path=folder / "state.sqlite3", worker_in_process=False)
    runtime = await build_runtime(settings, clock=lambda: END)
    try:
        await _seed(runtime, n, reuse)
        await _accounts(runtime)
        app = create_app(runtime=runtime)
        transport = httpx.ASGITransport(app=app)
        print(f"database: {runtime.sessions.kw['bind'].dialect.name}; {n:,} complaints over 12 months")
        year = "from=2025-12-01&to=2026-11-30"
        for email in ("admin@bench.go.id", "o@bench.go.id"):
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                await _login(client, email)
                who = "admin, all agencies" if email.startswith("admin") else "officer, one agency"

                cold = iter(range(1, 1000))

                async def fresh(client: httpx.AsyncClient = client, cold: Iterator[int] = cold) -> None:
                    # Another last day each time: a selection the cache has not seen, computed in SQL.
                    last = f"2026-11-{30 - next(cold) % 28:02d}"
                    (await client.get(f"/dashboard/statistik?from=2025-12-01&to={last}")).raise_for_status()

                async def page(client: httpx.AsyncClient = client, q: str = year) -> None:
                    (await client.get(f"/dashboard/statistik?{q}&by=week")).raise_for_status()

                async def month(client: httpx.AsyncClient = client) -> None:
                    (
                        await client.get("/dashboard/statistik?from=2026-11-01&to=2026-11-30&by=day")
                    ).raise_for_status()

                _report(f"stats page, 12 months, computed ({who})", await _timed(fresh, rounds), 300)
                _report(f"stats page, 12 months, from the cache ({who})", await _timed(page, rounds), 300)
                _report(f"stats page, one month by day, cached ({who})", await _timed(month, rounds), 300)
                if email.startswith("admin"):
                    ms, size, grown = await _download(client, "/dashboard/ekspor.csv")
                    print(f"{'CSV export, every complaint (admin)':<52} {ms:7.0f} ms  {size / 1e6:6.1f} MB  "
                          f"peak RSS +{grown} MB")  # fmt: skip
                    ms, size, grown = await _download(client, "/dashboard/ekspor.xlsx")
                    print(f"{'XLSX export, every complaint (admin)':<52} {ms:7.0f} ms  {size / 1e6:6.1f} MB  "
                          f"peak RSS +{grown} MB")  # fmt: skip
    finally:
        await runtime.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument("--database-url", help="an empty PostgreSQL database; default a fresh SQLite file")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="measure the data set already in --database-url")
    options = parser.parse_args()
    asyncio.run(run(options.complaints, options.database_url, options.rounds, options.reuse))


if __name__ == "__main__":
    main()
