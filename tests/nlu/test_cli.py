"""``lapor nlu`` through Typer's test runner, as any harness would drive it."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from bot.cli.nlu import app
from nlu import model as model_module

runner = CliRunner()
REQUIRED = {"intent", "intent_confidence", "category", "category_confidence", "regency", "entities"}


def test_parse_jsonl_answers_every_line_in_order(model_path: Path) -> None:
    lines = [
        {"text": "halo min"},
        {"text": "jalan berlubang di Kota Bandung sejak kemarin"},
        {"text": "banjir di bogor"},
        {"text": "makasih ya"},
    ]
    stdin = "\n".join(json.dumps(line) for line in lines) + "\n"
    result = runner.invoke(
        app,
        ["parse", "--jsonl", "--model", str(model_path), "--now", "2024-03-01T09:00:00+07:00"],
        input=stdin,
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["text"] for row in rows] == [line["text"] for line in lines]
    assert all(set(row) >= REQUIRED for row in rows)
    assert [row["intent"] for row in rows] == ["greet", "report", "report", "thanks"]
    assert rows[1]["category"] == "infrastructure"
    assert rows[1]["regency"] == "Kota Bandung"
    assert rows[1]["incident_date"] == "2024-02-29"
    assert rows[2]["regency"] is None  # Kota or Kabupaten Bogor: asked back
    assert len(rows[2]["regions"]) == 2


def test_parse_jsonl_answers_bad_lines_with_an_error_in_place(model_path: Path) -> None:
    stdin = '{"text": "halo"}\nnot json\n{"txt": 1}\n{"text": "batal"}\n'
    result = runner.invoke(app, ["parse", "--jsonl", "--model", str(model_path)], input=stdin)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row.get("intent", row.get("error")) for row in rows] == [
        "greet",
        "invalid JSON",
        'expected {"text": "..."}',
        "cancel",
    ]


def test_parse_one_text(model_path: Path) -> None:
    result = runner.invoke(app, ["parse", "cek LPR-7K3M9QX2", "--model", str(model_path)])
    assert result.exit_code == 0, result.output
    row = json.loads(result.stdout)
    assert (row["intent"], row["ticket"]) == ("check_status", "LPR-7K3M9QX2")


def test_parse_needs_text_or_jsonl(model_path: Path) -> None:
    result = runner.invoke(app, ["parse", "--model", str(model_path)])
    assert result.exit_code != 0


def test_evaluate_prints_and_writes_figures(model_path: Path, tmp_path: Path) -> None:
    data = tmp_path / "eval.jsonl"
    rows = [
        {"text": "selamat pagi", "intent": "greet", "category": None, "regency": None},
        {
            "text": "PBB rumah saya di Kota Depok naik dua kali lipat",
            "intent": "report",
            "category": "taxation",
            "regency": "Kota Depok",
        },
        {"text": "batal", "intent": "cancel", "category": None, "regency": None},
    ]
    data.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    out = tmp_path / "figures.json"
    result = runner.invoke(app, ["evaluate", str(data), "--json", str(out), "--model", str(model_path)])
    assert result.exit_code == 0, result.output
    for line in ("intent accuracy        1.000", "category macro-F1", "regency accuracy", "p99"):
        assert line in result.stdout
    figures = json.loads(out.read_text())
    assert figures["examples"] == 3
    assert figures["intent_accuracy"] == 1.0
    assert figures["regency_accuracy"] == 1.0
    assert {row["label"] for row in figures["intents"]} == {"greet", "report", "cancel"}


def test_train_writes_the_artifact(tmp_path: Path, tiny_data: Path) -> None:
    out = tmp_path / "trained.npz"
    result = runner.invoke(app, ["train", "--out", str(out), "--data", str(tiny_data)])
    assert result.exit_code == 0, result.output
    assert "model written" in result.stdout
    assert set(model_module.load(out).intent.labels) == {"greet", "thanks", "report"}
