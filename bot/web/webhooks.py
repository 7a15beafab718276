"""Provider webhooks: verify, parse, store, acknowledge, then send.

The provider gets its 2xx only after the turn is committed, so a crash before
that makes it deliver again, and the dedup record makes the retry harmless.
"""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from bot.runtime import Runtime
from bot.web.deps import get_runtime
from connectors.base import WebhookRejected, WebhookRequest
from connectors.messages import Inbound, Receipt
from storage import outbox

log = logging.getLogger("lapor.webhooks")
router = APIRouter()
MAX_WEBHOOK_BODY = 1024 * 1024


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
    if int(request.headers.get("content-length") or 0) > MAX_WEBHOOK_BODY:
        return Response("body too large\n", status_code=413)
    try:
        items = connector.parse(await webhook_request(request, runtime.settings.public_url))
    except WebhookRejected as exc:
        log.warning("webhook %s rejected: %s", path, exc.reason)
        return Response(f"{exc.reason}\n", status_code=exc.status)
    for item in items:
        await _store(runtime, item)
    ack = connector.acknowledge(items)
    return Response(ack.body, status_code=ack.status, media_type=ack.content_type)


async def _store(runtime: Runtime, item: Inbound | Receipt) -> None:
    if isinstance(item, Receipt):
        await outbox.apply_receipt(
            runtime.sessions,
            item.provider_message_id,
            item.status.value,
            error=item.error_code,
            now=runtime.clock(),
        )
        return
    outcome = await runtime.conversations.handle(item)
    runtime.dispatcher.send_soon(outcome.outbox_ids)
