"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from bot import webchat
from bot.demo import router as demo
from bot.demo.seed import ensure_demo_data
from bot.officers import api as officers_api
from bot.officers import dashboard
from bot.runtime import Runtime, build_runtime
from bot.settings import Settings, load_settings
from bot.web import health, open311, open_data, rest, transparency, webhooks


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
    app.include_router(open_data.router)
    app.include_router(open311.router)
    transparency.install(app)
    dashboard.install(app)
    webchat.install(app)
    demo.install(app, config)
    app.add_exception_handler(RequestValidationError, _validation_error)
    return app


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    errors = exc.errors() if isinstance(exc, RequestValidationError) else []
    detail = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in errors]
    return JSONResponse({"error": "invalid request", "detail": detail}, status_code=422)


def app_from_env() -> FastAPI:
    """Entry point for ``uvicorn --factory bot.web.app:app_from_env``."""
    return create_app(load_settings())
