"""Rendering the transparency pages (Jinja2, autoescaped, no script)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from bot.engine.dates import JAKARTA, format_date
from bot.http.public_http import STATUSES
from bot.openness import labels
from bot.openness.queries import Page, PublicFilter
from bot.openness.schemas import StatsOut
from dialogues.texts import Texts
from nlu.types import CATEGORIES

HERE = Path(labels.__file__).parent  # the openness package holds the templates and styles
STATIC = HERE / "static"
_env = Environment(
    loader=FileSystemLoader(HERE / "templates"), autoescape=True, undefined=StrictUndefined, trim_blocks=True
)


def _when(value: datetime | None) -> str:
    return value.astimezone(JAKARTA).strftime("%d-%m-%Y %H:%M") if value else "-"


def _day(value: datetime | None) -> str:
    return format_date(value.astimezone(JAKARTA).date(), "id") if value else "-"


def _due(value: date | None) -> str:
    return format_date(value, "id") if value else "-"


def _cell(value: int | None) -> str:
    return "<3" if value is None else str(value)


def _share(value: float | None) -> str:
    return "-" if value is None else f"{round(value * 100)}%"


def _helpers(texts: Texts) -> dict[str, Any]:
    return {
        "status": lambda code: labels.both(labels.STATUS[code]) if code in labels.STATUS else code,
        "kind": lambda code: labels.both(labels.KIND[code]) if code in labels.KIND else code,
        "deadline": lambda state: labels.both(labels.DEADLINE[str(state)]),
        "category": lambda code: (
            f"{labels.category(texts, code, 'id')} / {labels.category(texts, code, 'en')}"
        ),
        "when": _when,
        "day": _day,
        "due": _due,
        "cell": _cell,
        "share": _share,
    }


def list_page(
    texts: Texts,
    page: Page,
    figures: StatsOut,
    current: PublicFilter,
    choices: dict[str, list[tuple[str, str]]],
    problem: str | None,
) -> str:
    params = current.as_params()

    def link(number: int) -> str:
        return "/transparansi?" + urlencode({**params, "page": str(number)})

    satisfaction = f"{figures.satisfaction:.1f}" if figures.satisfaction is not None else "-"
    return _env.get_template("transparansi.html").render(
        page=page,
        figures=figures,
        current=current,
        problem=problem,
        satisfaction=satisfaction,
        link=link,
        query=("?" + urlencode(params)) if params else "",
        regions=choices["regions"],
        agencies=choices["agencies"],
        categories=[(c, labels.category(texts, c, "id")) for c in CATEGORIES],
        statuses=[(s, labels.both(labels.STATUS[s])) for s in STATUSES],
        **_helpers(texts),
    )


def detail_page(texts: Texts, complaint: Any) -> str:
    return _env.get_template("transparansi_detail.html").render(c=complaint, **_helpers(texts))


def missing_page() -> str:
    return _env.get_template("transparansi_missing.html").render()
