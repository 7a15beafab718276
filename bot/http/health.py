"""``GET /healthz``: the database and the state store answer."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from bot.http.deps import get_runtime
from bot.runtime.process import Runtime

router = APIRouter()


@router.get("/healthz")
async def healthz(runtime: Annotated[Runtime, Depends(get_runtime)]) -> JSONResponse:
    checks = await runtime.healthy()
    ok = all(v == "ok" for v in checks.values())
    return JSONResponse({"status": "ok" if ok else "unavailable", **checks}, status_code=200 if ok else 503)
