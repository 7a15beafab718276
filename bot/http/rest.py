"""The REST channel, compatible with Rasa's: tools written for Rasa bots work.

``POST /webhooks/rest/webhook`` with ``{"sender": "...", "message": "..."}``
returns ``[{"recipient_id", "text", "buttons": [{"title", "payload"}]}]``.
The address is ``rest:<sender>``.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, ValidationError

from bot.http.deps import get_runtime
from bot.http.rest_door import rest_refusal
from bot.intake.faults import handle_politely
from bot.runtime.process import Runtime
from connectors.messages import Inbound, Outbound

router = APIRouter()
MAX_BODY = 256 * 1024
MAX_SENDER = 128


class RestMessage(BaseModel):
    sender: str = Field(min_length=1, max_length=MAX_SENDER)
    message: str = Field(default="", max_length=100_000)


def to_rasa(reply: Outbound, sender: str) -> dict[str, Any]:
    item: dict[str, Any] = {"recipient_id": sender, "text": reply.text}
    if reply.choices:
        item["buttons"] = [{"title": c.title, "payload": c.payload} for c in reply.choices]
    return item


def _error(message: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


@router.post("/webhooks/rest/webhook", response_model=None)
async def rest_webhook(
    request: Request, runtime: Annotated[Runtime, Depends(get_runtime)]
) -> JSONResponse | list[dict[str, Any]]:
    refused = rest_refusal(request, runtime.settings)
    if refused is not None:
        return refused
    body = await request.body()
    if len(body) > MAX_BODY:
        return _error(f"body larger than {MAX_BODY} bytes", 413)
    try:
        payload = RestMessage.model_validate(json.loads(body.decode("utf-8", "surrogateescape")))
    except (ValueError, ValidationError) as exc:
        return _error(f"expected JSON {{'sender': str, 'message': str}}: {_reason(exc)}")
    sender = payload.sender.strip()
    if not sender:
        return _error("sender must not be blank")
    inbound = Inbound(address=f"rest:{sender}", text=payload.message, received_at=runtime.clock())
    outcome = await handle_politely(runtime.conversations, inbound)
    return [to_rasa(reply, sender) for reply in outcome.replies]


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
    return "body is not valid JSON"
