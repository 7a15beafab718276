"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from bot.core.cpu_pool import settle_heap
from bot.http import (
    body_limits,
    health,
    insights_api,
    open311,
    open_data,
    rest,
    rights_api,
    transparency,
    webchat,
    webhooks,
)
from bot.http.dashboard import insights as insights_dashboard
from bot.http.dashboard import routes as dashboard
from bot.http.demo import router as demo
from bot.http.demo.seed import ensure_demo_data
from bot.http.officer_api import routes as officers_api
from bot.runtime.channel_registry import webhook_body_limits
from bot.runtime.process import Runtime, build_runtime
from bot.runtime.settings import Settings, load_settings


def create_app(settings: Settings | None = None, runtime: Runtime | None = None) -> FastAPI:
    """The app; it builds its runtime on start-up unless one is given (tests)."""
    config = settings or (runtime.settings if runtime else load_settings())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = runtime is None
        app.state.runtime = runtime or await build_runtime(config)
        if owned and config.worker_in_process:
            app.state.runtime.start_worker()
        if app.state.runtime.settings.demo:
            await ensure_demo_data(app.state.runtime)
        settle_heap()  # no full garbage collection later stops the loop over start-up objects
        try:
            yield
        finally:
            if owned:
                await app.state.runtime.close()

    app = FastAPI(title="lapor-chat", version="0.1.0", lifespan=lifespan)
    if runtime is not None:
        app.state.runtime = runtime
    app.include_router(health.router)
    app.include_router(rest.router)
    app.include_router(webhooks.router)
    app.include_router(officers_api.router)
    app.include_router(insights_api.router)
    app.include_router(insights_dashboard.router)
    app.include_router(rights_api.router)
    app.include_router(open_data.router)
    app.include_router(open311.router)
    transparency.install(app)
    dashboard.install(app)
    webchat.install(app)
    demo.install(app, config)
    app.add_exception_handler(RequestValidationError, _validation_error)
    # Last: the outermost middleware, before any body is read; channels may need more room.
    body_limits.install(app, body_limits.LIMITS.with_rules(webhook_body_limits()))
    return app


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    errors = exc.errors() if isinstance(exc, RequestValidationError) else []
    detail = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in errors]
    return JSONResponse({"error": "invalid request", "detail": detail}, status_code=422)


def app_from_env() -> FastAPI:
    """Entry point for ``uvicorn --factory bot.http.app:app_from_env``."""
    return create_app(load_settings())
