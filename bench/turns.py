"""Load generator: N concurrent citizens file whole complaints over REST.

Starts ``lapor serve`` in a child process (unless --url is given), drives it
with httpx, and prints turns/s, turn latency p50/p95/p99, and complaints
stored against dialogues completed. The server's memory (RSS) is sampled.

    .venv/bin/python -m bench.turns --citizens 32 --dialogues 320
    .venv/bin/python -m bench.turns --database-url postgresql://postgres@127.0.0.1/bench \\
        --redis-url redis://127.0.0.1:6379/13 --workers 2
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

SCRIPT = (
    "halo",
    "setuju",
    "jalan berlubang besar nomor {n} di depan pasar, sudah dua minggu belum diperbaiki",
    "Jl. Pasar Baru no {n}, Kabupaten Sleman",
    "kemarin",
    "1",
    "kirim",
)
ANSWERS = {
    "Sepertinya": "ya",
    "Nama ": "1",
    "Masalah ini termasuk": "1",
    "Ini termasuk jenis": "1",
    "Saya belum menemukan": "Jl. Pasar Baru, Kabupaten Sleman",
    "Kapan": "lewati",
    "Tanggalnya": "lewati",
    "Bagaimana identitas": "1",
    "Mohon periksa": "kirim",
    "Mohon ceritakan": "jalan berlubang besar di depan pasar sudah lama",
}


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    completed: int = 0
    errors: int = 0


def rest_token() -> str:
    """The REST channel's bearer token: LAPOR_REST_TOKEN when set, else one for this run."""
    return os.environ.setdefault("LAPOR_REST_TOKEN", secrets.token_urlsafe(32))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _answer_for(text: str) -> str | None:
    return next((answer for prefix, answer in ANSWERS.items() if text.startswith(prefix)), None)


async def one_dialogue(client: httpx.AsyncClient, sender: str, n: int, stats: Stats) -> None:
    async def send(message: str) -> str:
        start = time.perf_counter()
        response = await client.post("/webhooks/rest/webhook", json={"sender": sender, "message": message})
        stats.latencies.append(time.perf_counter() - start)
        response.raise_for_status()
        return "\n".join(item["text"] for item in response.json())

    text = ""
    for step in SCRIPT[:3]:
        text = await send(step.format(n=n))
    for _ in range(12):
        if "LPR-" in text:
            stats.completed += 1
            return
        answer = _answer_for(text.split("\n")[-1] if "\n•" not in text else text)
        answer = answer or _answer_for(text) or "kirim"
        text = await send(answer)
    stats.errors += 1


async def drive(
    url: str, citizens: int, dialogues: int, server_pid: int | None
) -> tuple[Stats, float, float]:
    stats = Stats()
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(dialogues):
        queue.put_nowait(n)
    peak = [0.0]

    async def citizen(client: httpx.AsyncClient) -> None:
        while not queue.empty():
            n = queue.get_nowait()
            try:
                await one_dialogue(client, f"bench-{os.getpid()}-{n}", n, stats)
            except httpx.HTTPError:
                stats.errors += 1

    async def sample() -> None:
        while server_pid:
            peak[0] = max(peak[0], rss_mb(server_pid))
            await asyncio.sleep(0.5)

    limits = httpx.Limits(max_connections=citizens, max_keepalive_connections=citizens)
    token = os.environ.get("LAPOR_REST_TOKEN")
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits, headers=headers) as client:
        sampler = asyncio.create_task(sample())
        start = time.perf_counter()
        await asyncio.gather(*(citizen(client) for _ in range(citizens)))
        elapsed = time.perf_counter() - start
        sampler.cancel()
    return stats, elapsed, peak[0]


def start_server(args: argparse.Namespace, workdir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {
        **os.environ,
        "LAPOR_PORT": str(port),
        "LAPOR_DATABASE_URL": args.database_url or f"sqlite:///{workdir}/bench.sqlite3",
        "LAPOR_STATE_PATH": str(workdir / "state.sqlite3"),
        "LAPOR_LOG_LEVEL": "WARNING",
        "LAPOR_RATE_LIMIT_PER_MINUTE": "100000",
        "LAPOR_REST_TOKEN": rest_token(),  # `lapor serve` keeps the REST channel off without one
    }
    if args.redis_url:
        env["LAPOR_REDIS_URL"] = args.redis_url
        env["LAPOR_STATE_PREFIX"] = f"bench-{os.getpid()}:"
    command = [sys.executable, "-m", "bench.server", "--workers", str(args.workers)]
    process = subprocess.Popen(command, env=env)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    process.kill()
    raise SystemExit("server did not start")


async def count_complaints(database_url: str) -> int:
    from sqlalchemy import func, select

    from storage.db import create_engine
    from storage.models import Complaint

    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            return int(await conn.scalar(select(func.count()).select_from(Complaint)) or 0)
    finally:
        await engine.dispose()


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if len(values) > 1 else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--citizens", type=int, default=32, help="concurrent citizens")
    parser.add_argument("--dialogues", type=int, default=320, help="complete dialogues to run")
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    parser.add_argument("--redis-url", default=None, help="default: the embedded state store")
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    parser.add_argument("--url", default=None, help="drive a running server instead")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        process, url = (None, args.url) if args.url else start_server(args, workdir)
        try:
            stats, elapsed, peak = asyncio.run(
                drive(url, args.citizens, args.dialogues, process.pid if process else None)
            )
        finally:
            if process:
                process.terminate()
                process.wait(timeout=20)
        database_url = args.database_url or f"sqlite:///{workdir}/bench.sqlite3"
        stored = asyncio.run(count_complaints(database_url)) if not args.url else -1

    turns = len(stats.latencies)
    ms = [v * 1000 for v in stats.latencies]
    database = "PostgreSQL" if args.database_url else "SQLite"
    backend = database + (" + Redis" if args.redis_url else " + embedded")
    p50, p95, p99 = (percentile(ms, q) for q in (50, 95, 99))
    print(f"backend            {backend}, {args.workers} server process(es)")
    print(f"citizens           {args.citizens} concurrent, {args.dialogues} dialogues")
    print(f"turns              {turns} in {elapsed:.1f} s = {turns / elapsed:.0f} turns/s")
    print(f"latency ms         p50 {p50:.1f}  p95 {p95:.1f}  p99 {p99:.1f}")
    print(f"dialogues          {stats.completed} completed, {stats.errors} failed")
    print(f"complaints stored  {stored}")
    if peak:
        print(f"server RSS peak    {peak:.0f} MB (first process)")


if __name__ == "__main__":
    main()
