"""Public-side benchmark: the transparency page and the open-data API over many complaints.

Run: ``.venv/bin/python -m bench.public [--complaints N] [--requests M] [--database-url URL]``.
Seeds N public complaints (plus a tenth as many confidential ones) with a follow-up each,
then times M in-process requests per path (no network; no ETag, so every page is rendered;
the headline figures are computed on the first request and then shared for 60 s, so the
p95 of the first two paths includes that computation). Prints p50 and p95 per path.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import insert, select

from bot.http.app import create_app
from bot.runtime.process import build_runtime
from bot.runtime.settings import load_settings
from storage.models import Agency, Complaint, Reporter, StatusEvent

PATHS = (
    "/transparansi",
    "/transparansi?region=34.04&status=in_progress",
    "/api/public/v1/complaints?per_page=50",
    "/api/public/v1/stats",
    "/open311/v2/requests.json",
)
CATEGORIES = ("infrastructure", "health", "education", "environment", "utilities")
REGENCIES = (("34.04", "Kabupaten Sleman"), ("32.73", "Kota Bandung"), ("31.71", "Kota Jakarta Pusat"))


async def _seed(runtime: object, count: int, now: datetime) -> None:
    sessions = runtime.sessions  # type: ignore[attr-defined]
    async with sessions.begin() as session:
        agencies = list((await session.scalars(select(Agency.id))).all())
        reporter = (
            await session.execute(
                insert(Reporter).returning(Reporter.id),
                [{"address": "rest:bench", "channel": "rest", "language": "id", "created_at": now}],
            )
        ).scalar_one()
        rows = []
        for n in range(count + count // 10):
            created = now - timedelta(hours=n % 2000)
            code, name = REGENCIES[n % len(REGENCIES)]
            rows.append(
                {
                    "ticket": f"LPR-B{n:07d}",
                    "conversation_id": f"bench-{n}",
                    "reporter_id": reporter,
                    "agency_id": agencies[n % len(agencies)],
                    "kind": "complaint",
                    "category": CATEGORIES[n % len(CATEGORIES)],
                    "title": f"Laporan {n}: jalan rusak, hp 0812345{n:05d}",
                    "description": f"Jalan berlubang di depan pasar, NIK 3404011203850002, hubungi 0812345{n:05d}",  # noqa: E501
                    "description_raw": b"-",
                    "regency_code": code,
                    "regency_name": name,
                    "status": "in_progress",
                    "language": "id",
                    "source_channel": "rest",
                    "source_message_ids": [],
                    "verify_due": date(2026, 3, 5),
                    "forward_due": date(2026, 3, 10),
                    "followup_due": date(2026, 3, 17),
                    "confidential": n >= count,
                    "anonymous": n % 3 == 0,
                    "rating": (n % 5) + 1 if n % 4 == 0 else None,
                    "created_at": created,
                    "updated_at": created,
                }
            )
        ids = (
            await session.execute(insert(Complaint).returning(Complaint.id, Complaint.created_at), rows)
        ).all()
        events = [
            {
                "complaint_id": i,
                "at": at,
                "actor": "officer:1",
                "action": "status",
                "to_status": s,
                "public_note": note,
            }
            for i, at in ids
            for s, note in (("received", None), ("in_progress", "Tim sudah turun ke lokasi"))
        ]
        await session.execute(insert(StatusEvent), events)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def run(count: int, requests: int, database_url: str | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        settings = load_settings(
            database_url=url, state_path=Path(tmp) / "state.sqlite3", worker_in_process=False,
            public_rate_limit_per_minute=1_000_000,
        )  # fmt: skip
        runtime = await build_runtime(settings)
        started = time.perf_counter()
        await _seed(runtime, count, datetime.now(UTC))
        print(
            f"seeded {count} public + {count // 10} confidential complaints in {time.perf_counter() - started:.1f} s"  # noqa: E501
        )
        app = create_app(runtime=runtime)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            print(f"{'path':50} {'p50 ms':>8} {'p95 ms':>8} {'bytes':>9}")
            for path in PATHS:
                times, size = [], 0
                for _ in range(requests):
                    begin = time.perf_counter()
                    response = await client.get(path)
                    times.append((time.perf_counter() - begin) * 1000)
                    size = len(response.content)
                    assert response.status_code == 200, (path, response.status_code)
                print(f"{path:50} {statistics.median(times):8.1f} {_percentile(times, 0.95):8.1f} {size:9d}")
        await runtime.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--complaints", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--database-url")
    options = parser.parse_args()
    asyncio.run(run(options.complaints, options.requests, options.database_url))


if __name__ == "__main__":
    main()
