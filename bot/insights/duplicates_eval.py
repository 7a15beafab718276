"""Precision and recall of ``duplicates.same_problem`` on labelled pairs (JSONL data)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from bot.insights.duplicates import Report, Similarity, same_problem

EPOCH = date(2026, 3, 1)


@dataclass(frozen=True, slots=True)
class Score:
    pairs: int
    positives: int
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.positives if self.positives else 1.0

    def line(self) -> str:
        return (
            f"duplicates: {self.pairs} labelled pairs ({self.positives} same problem): "
            f"precision {self.precision:.3f}, recall {self.recall:.3f} "
            f"(TP {self.true_positives}, FP {self.false_positives}, FN {self.false_negatives})"
        )


def load_reports(path: Path) -> dict[str, Report]:
    reports = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            reports[row["id"]] = Report(
                key=row["id"], text=row["text"], day=EPOCH + timedelta(days=row["day"]),
                category=row["category"], regency=row["regency"], district=row["district"],
                latitude=row["lat"], longitude=row["lon"],
            )  # fmt: skip
    return reports


def evaluate(reports: dict[str, Report], pairs_path: Path) -> tuple[Score, list[tuple[str, str, bool]]]:
    """The score, and the pairs it got wrong as (a, b, labelled same)."""
    similarity = Similarity(list(reports.values()))
    tp = fp = fn = positives = total = 0
    wrong: list[tuple[str, str, bool]] = []
    for line in pairs_path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        a, b, same = reports[row["a"]], reports[row["b"]], bool(row["same"])
        guess = same_problem(a, b, similarity)
        total += 1
        positives += same
        tp += guess and same
        fp += guess and not same
        fn += same and not guess
        if guess != same:
            wrong.append((a.key, b.key, same))
    return Score(total, positives, tp, fp, fn), wrong
