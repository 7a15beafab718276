"""Evaluate a parser on a labelled JSONL file (design.md section 2 format)."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from nlu.data import Example
from nlu.types import CATEGORIES, INTENTS, Parser

_NULL = "(none)"


@dataclass(frozen=True, slots=True)
class ClassScore:
    label: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True, slots=True)
class Report:
    """The figures ``lapor nlu evaluate`` prints (and writes with ``--json``)."""

    examples: int
    intent_accuracy: float
    intent_macro_f1: float
    category_accuracy: float
    category_macro_f1: float
    regency_accuracy: float
    regency_named_accuracy: float
    latency_p50_ms: float
    latency_p99_ms: float
    intents: list[ClassScore] = field(default_factory=list)
    categories: list[ClassScore] = field(default_factory=list)
    intent_confusions: list[tuple[str, str, int]] = field(default_factory=list)
    category_confusions: list[tuple[str, str, int]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)


def evaluate(parser: Parser, examples: Sequence[Example], now: datetime | None = None) -> Report:
    """Parse every example once, timed, and score intents, categories and regencies."""
    now = now or datetime.now(UTC)
    gold_i, pred_i, gold_c, pred_c, gold_r, pred_r = [], [], [], [], [], []
    latencies: list[float] = []
    errors: list[dict[str, Any]] = []
    for example in examples:
        started = time.perf_counter()
        result = parser.parse(example.text, now)
        latencies.append((time.perf_counter() - started) * 1000)
        gold_i.append(example.intent)
        pred_i.append(result.intent)
        gold_c.append(example.category or _NULL)
        pred_c.append(result.category or _NULL)
        gold_r.append(example.regency)
        pred_r.append(result.regency)
        if (result.intent, result.category, result.regency) != (
            example.intent,
            example.category,
            example.regency,
        ):
            errors.append(_error(example, result.intent, result.category, result.regency))
    intents = scores(gold_i, pred_i, INTENTS)
    categories = scores(gold_c, pred_c, CATEGORIES)
    named = [(g, p) for g, p in zip(gold_r, pred_r, strict=True) if g is not None]
    return Report(
        examples=len(examples),
        intent_accuracy=_accuracy(gold_i, pred_i),
        intent_macro_f1=_macro(intents),
        category_accuracy=_accuracy(gold_c, pred_c),
        category_macro_f1=_macro(categories),
        regency_accuracy=_accuracy(gold_r, pred_r),
        regency_named_accuracy=_accuracy([g for g, _ in named], [p for _, p in named]),
        latency_p50_ms=percentile(latencies, 50),
        latency_p99_ms=percentile(latencies, 99),
        intents=intents,
        categories=categories,
        intent_confusions=confusions(gold_i, pred_i),
        category_confusions=confusions(gold_c, pred_c),
        errors=errors,
    )


def scores(gold: list[str], pred: list[str], labels: Sequence[str]) -> list[ClassScore]:
    """Per-class precision, recall and F1 (a missing or extra null counts against)."""
    out = []
    for label in labels:
        tp = sum(g == p == label for g, p in zip(gold, pred, strict=True))
        predicted, actual = pred.count(label), gold.count(label)
        if not predicted and not actual:
            continue
        precision = tp / predicted if predicted else 0.0
        recall = tp / actual if actual else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out.append(ClassScore(label, precision, recall, f1, actual))
    return out


def confusions(gold: list[str], pred: list[str]) -> list[tuple[str, str, int]]:
    """(gold, predicted, count) for every mistake, most frequent first."""
    counts = Counter((g, p) for g, p in zip(gold, pred, strict=True) if g != p)
    return [(g, p, n) for (g, p), n in counts.most_common()]


def percentile(values: list[float], q: float) -> float:
    """The nearest-rank percentile (0.0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, round(q / 100 * len(ordered) + 0.5))
    return ordered[min(rank, len(ordered)) - 1]


def format_report(report: Report) -> str:
    """The human-readable report."""
    lines = [
        f"examples               {report.examples}",
        f"intent accuracy        {report.intent_accuracy:.3f}",
        f"intent macro-F1        {report.intent_macro_f1:.3f}",
        f"category accuracy      {report.category_accuracy:.3f}",
        f"category macro-F1      {report.category_macro_f1:.3f}",
        f"regency accuracy       {report.regency_accuracy:.3f}"
        f"   (on lines naming one: {report.regency_named_accuracy:.3f})",
        f"parse latency          p50 {report.latency_p50_ms:.3f} ms   p99 {report.latency_p99_ms:.3f} ms",
        "",
        _table("intent", report.intents),
        "",
        _table("category", report.categories),
        "",
        _confusion_lines("intent confusions (gold -> predicted)", report.intent_confusions),
        _confusion_lines("category confusions (gold -> predicted)", report.category_confusions),
    ]
    return "\n".join(lines).rstrip() + "\n"


def _table(title: str, rows: list[ClassScore]) -> str:
    head = f"{title:20s} {'precision':>9s} {'recall':>7s} {'f1':>6s} {'support':>8s}"
    body = [f"{r.label:20s} {r.precision:9.3f} {r.recall:7.3f} {r.f1:6.3f} {r.support:8d}" for r in rows]
    return "\n".join([head, *body])


def _confusion_lines(title: str, rows: list[tuple[str, str, int]]) -> str:
    body = [f"  {g} -> {p}: {n}" for g, p, n in rows] or ["  (none)"]
    return "\n".join([title, *body, ""])


def _accuracy(gold: Sequence[object], pred: Sequence[object]) -> float:
    return sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold) if gold else 0.0


def _macro(rows: list[ClassScore]) -> float:
    return sum(r.f1 for r in rows) / len(rows) if rows else 0.0


def _error(example: Example, intent: str, category: str | None, regency: str | None) -> dict[str, Any]:
    return {
        "text": example.text,
        "gold": [example.intent, example.category, example.regency],
        "predicted": [intent, category, regency],
    }
