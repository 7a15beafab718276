"""Provider webhooks: verify, parse, store, acknowledge, then send.

The provider gets its 2xx only after the turn is committed, so a crash before
that makes it deliver again, and the dedup record makes the retry harmless.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from starlette.background import BackgroundTask

from bot.delivery.receipts import apply_receipt
from bot.http.deps import get_runtime
from bot.intake.faults import is_fault
from bot.runtime.process import Runtime
from connectors.base import AnswersCallbacks, Handshake, WebhookRejected, WebhookRequest
from connectors.messages import Inbound, Receipt
from storage.state import LockTimeout

log = logging.getLogger("lapor.webhooks")
router = APIRouter()


async def webhook_request(request: Request, public_url: str) -> WebhookRequest:
    """The request as the provider made it: public URL, exact bytes."""
    query = request.url.query
    url = f"{public_url}{request.url.path}" + (f"?{query}" if query else "")
    return WebhookRequest(
        method=request.method,
        url=url,
        headers=dict(request.headers),
        body=await request.body(),
        query=dict(request.query_params),
    )


@router.api_route("/webhooks/{path:path}", methods=["GET", "POST"], include_in_schema=False)
async def provider_webhook(
    path: str, request: Request, runtime: Annotated[Runtime, Depends(get_runtime)]
) -> Response:
    connector = runtime.channels.by_path.get(path)
    if connector is None:
        return Response(f"no channel at /webhooks/{path}\n", status_code=404)
    if request.method == "GET" and isinstance(connector, Handshake):
        return await _handshake(connector, path, await webhook_request(request, runtime.settings.public_url))
    try:
        items = connector.parse(await webhook_request(request, runtime.settings.public_url))
    except WebhookRejected as exc:
        log.warning("webhook %s rejected: %s", path, exc.reason)
        return Response(f"{exc.reason}\n", status_code=exc.status)
    try:
        for item in items:
            await _store(runtime, item)
    except Exception as exc:
        if not isinstance(exc, LockTimeout) and not is_fault(exc):
            raise
        # Not stored (database or state store down, or the citizen's turn busy): a 503
        # makes the provider deliver it again later; see docs/reliability.md per channel.
        log.warning("webhook %s deferred: %s", path, type(exc).__name__)
        return Response("busy, retry later\n", status_code=503, headers={"Retry-After": "5"})
    ack = connector.acknowledge(items)
    answers = _answer_callbacks(connector, items)
    return Response(ack.body, status_code=ack.status, media_type=ack.content_type, background=answers)


async def _handshake(connector: Handshake, path: str, request: WebhookRequest) -> Response:
    """A provider's verification request (Meta's ``hub.challenge``), answered by its connector."""
    try:
        answer = connector.handshake(request)
    except WebhookRejected as exc:
        log.warning("webhook %s handshake rejected: %s", path, exc.reason)
        return Response(f"{exc.reason}\n", status_code=exc.status)
    return Response(answer.body, status_code=answer.status, media_type=answer.content_type)


def _answer_callbacks(connector: object, items: Sequence[Inbound | Receipt]) -> BackgroundTask | None:
    """Answer button presses once stored, after the response: the provider waits for neither."""
    ids = [i.callback_id for i in items if isinstance(i, Inbound) and i.callback_id]
    if not ids or not isinstance(connector, AnswersCallbacks):
        return None

    async def answer_all() -> None:
        for callback_id in ids:
            await connector.answer_callback(callback_id)

    return BackgroundTask(answer_all)


async def _store(runtime: Runtime, item: Inbound | Receipt) -> None:
    if isinstance(item, Receipt):
        await apply_receipt(runtime.dispatcher, item)
        return
    outcome = await runtime.conversations.handle(item)
    runtime.dispatcher.send_soon(outcome.outbox_ids)
