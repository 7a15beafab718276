"""Server-rendered pages: Jinja2 with autoescaping and the strict page headers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from bot.http.webchat.security import PAGE_HEADERS


class Pages:
    """The templates of one folder, rendered into responses with ``headers``."""

    def __init__(self, folder: Path, headers: dict[str, str] | None = None) -> None:
        self.env = Environment(
            loader=FileSystemLoader(folder), autoescape=True, undefined=StrictUndefined, auto_reload=False
        )
        self.headers = headers or PAGE_HEADERS

    def render(self, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        html = self.env.get_template(name).render(**context)
        return HTMLResponse(html, status_code=status, headers=dict(self.headers))
