"""Every (method, path) a FastAPI app answers, from its route table."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from fastapi import FastAPI
from starlette.routing import BaseRoute, Mount

HEAD_IMPLIED = {"HEAD"}  # Starlette adds HEAD to every GET


def routes_of(app: FastAPI) -> set[tuple[str, str]]:
    return set(_walk(app.routes))


def _walk(routes: Iterable[BaseRoute]) -> Iterator[tuple[str, str]]:
    for route in routes:
        nested = getattr(route, "effective_candidates", None)
        if nested is not None:  # an included router (FastAPI >= 0.16x keeps them lazily)
            yield from _walk(nested())
        elif isinstance(route, Mount):
            yield ("GET", f"{route.path}/{{path}}")
        else:
            path = getattr(route, "path", None)
            methods = getattr(route, "methods", None) or set()
            for method in sorted(set(methods) - HEAD_IMPLIED):
                yield (method, str(path))
