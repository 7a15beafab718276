"""``lapor nlu``: train the model, parse text (or JSONL), evaluate on a labelled file."""

from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

import nlu
from nlu.data import DATA_DIR, load_jsonl
from nlu.evaluate import evaluate as run_evaluation
from nlu.evaluate import format_report
from nlu.serialize import result_to_dict

app = typer.Typer(help="Natural-language understanding: train, parse, evaluate.", no_args_is_help=True)

ModelOption = Annotated[
    Path | None, typer.Option("--model", help="Model artifact (default: nlu/model/model.npz).")
]
RasaOption = Annotated[
    str | None, typer.Option("--rasa-url", envvar="LAPOR_RASA_URL", help="Rasa server URL.")
]
TokenOption = Annotated[
    str | None, typer.Option("--rasa-token", envvar="LAPOR_RASA_TOKEN", help="Rasa token.")
]


@app.command()
def train(
    out: Annotated[Path | None, typer.Option("--out", help="Where to write the model.")] = None,
    data: Annotated[
        Path | None, typer.Option("--data", help="Folder of Rasa NLU files (default: nlu/data).")
    ] = None,
) -> None:
    """Train the intent and category classifiers on nlu/data/*.yml."""
    started = time.perf_counter()
    target = out or nlu.DEFAULT_MODEL_PATH
    nlu.train_model(target, data or DATA_DIR)
    typer.echo(f"model written to {target} in {time.perf_counter() - started:.1f} s")


@app.command()
def parse(
    text: Annotated[str | None, typer.Argument(help="The message to parse.")] = None,
    jsonl: Annotated[
        bool, typer.Option("--jsonl", help='Read {"text": ...} lines on stdin, write one per line.')
    ] = False,
    now: Annotated[str | None, typer.Option("--now", help="Message time, ISO 8601 (default: now).")] = None,
    model: ModelOption = None,
    rasa_url: RasaOption = None,
    rasa_token: TokenOption = None,
) -> None:
    """Print the parse of TEXT as JSON (or of each stdin line with --jsonl)."""
    if text is None and not jsonl:
        raise typer.BadParameter("give TEXT or --jsonl")
    parser = nlu.load_parser(model, rasa_url, rasa_token)
    moment = _moment(now)
    if not jsonl:
        typer.echo(json.dumps(result_to_dict(parser.parse(text or "", moment)), ensure_ascii=False))
        return
    for line in sys.stdin:
        if not line.strip():
            continue
        sys.stdout.write(json.dumps(_parse_line(parser, line, moment), ensure_ascii=False) + "\n")
        sys.stdout.flush()


def _parse_line(parser: nlu.Parser, line: str, moment: datetime) -> dict[str, Any]:
    """One output object per input line, in order: a bad line answers with an error."""
    try:
        row = json.loads(line)
    except ValueError:
        return {"error": "invalid JSON"}
    if not isinstance(row, dict) or not isinstance(row.get("text"), str):
        return {"error": 'expected {"text": "..."}'}
    return result_to_dict(parser.parse(row["text"], moment))


@app.command()
def evaluate(
    file: Annotated[Path, typer.Argument(help="JSONL: text, intent, category, regency.")],
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Also write the figures as JSON here.")
    ] = None,
    model: ModelOption = None,
    rasa_url: RasaOption = None,
    rasa_token: TokenOption = None,
) -> None:
    """Accuracy, macro-F1, per-class table, confusions and latency on FILE."""
    parser = nlu.load_parser(model, rasa_url, rasa_token)
    report = run_evaluation(parser, load_jsonl(file))
    typer.echo(format_report(report), nl=False)
    if json_out:
        payload: dict[str, Any] = asdict(report)
        json_out.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")


def _moment(now: str | None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    moment = datetime.fromisoformat(now)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
