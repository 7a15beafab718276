"""Request-scoped access to the process runtime."""

from __future__ import annotations

from fastapi import Request

from bot.runtime.process import Runtime


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime
