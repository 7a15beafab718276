"""Duplicate detection against the labelled pairs: precision and recall printed, precision first."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.insights.duplicates import Report, groups
from bot.insights.duplicates_eval import evaluate, load_reports

DATA = Path(__file__).parent.parent / "fixtures" / "insights"


def test_precision_and_recall_on_the_labelled_pairs() -> None:
    score, wrong = evaluate(load_reports(DATA / "reports.jsonl"), DATA / "duplicate_pairs.jsonl")

    print(score.line())
    assert score.pairs >= 200
    assert score.precision >= 0.95, wrong
    assert score.recall >= 0.75, wrong


def test_groups_keep_problems_apart() -> None:
    reports = load_reports(DATA / "reports.jsonl")

    found = [{r.key for r in g} for g in groups(list(reports.values()))]

    assert {"s5", "s6", "s7"} in found  # one garbage pile, three reporters
    assert not any({"s1", "s22"} <= g for g in found)  # the same pothole two months later is a new report
    assert not any({"s17", "s20"} <= g for g in found)  # flooding beside a broken drain


def test_far_apart_in_time_or_place_is_never_the_same() -> None:
    a = Report("a", "jalan berlubang besar di depan pasar", date(2026, 3, 1), "infrastructure", "34.04")
    later = Report("b", "jalan berlubang besar di depan pasar", date(2026, 5, 1), "infrastructure", "34.04")
    elsewhere = Report(
        "c", "jalan berlubang besar di depan pasar", date(2026, 3, 2), "infrastructure", "32.73"
    )

    assert groups([a, later, elsewhere]) == []
