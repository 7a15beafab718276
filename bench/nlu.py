"""NLU benchmark: held-out accuracy, parse latency on one core, training and load time.

Run: ``.venv/bin/python -m bench.nlu [--rounds N] [--json OUT]``. Prints each figure
next to its target. Latency is measured pinned to one CPU core, both as wall time
and as the thread's CPU time (the latter ignores other jobs sharing the machine).
"""

from __future__ import annotations

import os

# One core, one thread: set before numpy loads its BLAS.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from datetime import UTC, datetime  # noqa: E402
from pathlib import Path  # noqa: E402

import nlu  # noqa: E402
from nlu.data import HELDOUT, load_jsonl  # noqa: E402
from nlu.evaluate import evaluate, percentile  # noqa: E402

_LOAD_SNIPPET = """
import sys, time
started = time.perf_counter()
import nlu
nlu.load_parser(__import__("pathlib").Path(sys.argv[1]))
print(time.perf_counter() - started)
"""


def main() -> None:
    options = _options()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.npz"
        train_seconds = _train(path)
        load_seconds = _load_cold(path)
        started = time.perf_counter()
        nlu.load_model(path)
        model_load_seconds = time.perf_counter() - started
        started = time.perf_counter()
        parser = nlu.load_parser(path)
        warm_load_seconds = time.perf_counter() - started
        examples = load_jsonl(HELDOUT)
        report = evaluate(parser, examples, datetime.now(UTC))
        wall, cpu, best = _latency(parser, [e.text for e in examples], options.rounds)
    figures = {
        "heldout_examples": report.examples,
        "intent_accuracy": report.intent_accuracy,
        "intent_macro_f1": report.intent_macro_f1,
        "category_accuracy": report.category_accuracy,
        "category_macro_f1": report.category_macro_f1,
        "regency_accuracy": report.regency_accuracy,
        "regency_named_accuracy": report.regency_named_accuracy,
        "parse_wall_p50_ms": percentile(wall, 50),
        "parse_wall_p99_ms": percentile(wall, 99),
        "parse_cpu_p50_ms": percentile(cpu, 50),
        "parse_cpu_p99_ms": percentile(cpu, 99),
        "parse_best_of_rounds_p99_ms": percentile(best, 99),
        "train_seconds": train_seconds,
        "model_load_seconds": model_load_seconds,
        "parser_ready_seconds": warm_load_seconds,
        "cold_process_seconds": load_seconds,
    }
    _print(figures, options.rounds * len(examples))
    if options.json:
        options.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5, help="passes over the held-out set")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    return parser.parse_args()


def _train(path: Path) -> float:
    started = time.perf_counter()
    nlu.train_model(path)
    return time.perf_counter() - started


def _load_cold(path: Path) -> float:
    """Median of three fresh processes: Python imports, artifact and region index."""
    runs = []
    for _ in range(3):
        out = subprocess.run(
            [sys.executable, "-c", _LOAD_SNIPPET, str(path)],
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(runs)


def _latency(
    parser: nlu.Parser, texts: list[str], rounds: int
) -> tuple[list[float], list[float], list[float]]:
    """Wall and CPU milliseconds of every parse, and each text's best wall time
    (the cost without interference from other processes on the machine)."""
    now = datetime.now(UTC)
    for text in texts:  # warm-up: the first parse of a word fills small caches
        parser.parse(text, now)
    wall: list[float] = []
    cpu: list[float] = []
    best = [float("inf")] * len(texts)
    for _ in range(rounds):
        for i, text in enumerate(texts):
            started_wall, started_cpu = time.perf_counter(), time.thread_time()
            parser.parse(text, now)
            cpu.append((time.thread_time() - started_cpu) * 1000)
            wall.append((time.perf_counter() - started_wall) * 1000)
            best[i] = min(best[i], wall[-1])
    return wall, cpu, best


def _print(figures: dict[str, float], parses: int) -> None:
    targets = {
        "intent_accuracy": (">=", 0.95),
        "category_macro_f1": (">=", 0.88),
        "regency_accuracy": (">=", 0.90),
        "parse_cpu_p99_ms": ("<", 2.0),
        "parse_wall_p99_ms": ("<", 2.0),
        "train_seconds": ("<", 30.0),
        "model_load_seconds": ("<", 1.0),
        "parser_ready_seconds": ("<", 1.0),
    }
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"NLU benchmark ({parses} timed parses on one core; machine load average {load:.2f})")
    for name, value in figures.items():
        line = f"  {name:28s} {value:10.3f}" if isinstance(value, float) else f"  {name:28s} {value:10d}"
        if name in targets:
            op, limit = targets[name]
            ok = value >= limit if op == ">=" else value < limit
            line += f"   target {op} {limit:g}  {'ok' if ok else 'MISSED'}"
        print(line)


if __name__ == "__main__":
    main()
