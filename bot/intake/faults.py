"""Infrastructure faults, told politely: a citizen never sees a raw 500.

A fault is the state store or the database failing or timing out, not a bug.
Nothing of the turn was committed when one reaches here (one transaction per
turn; see ``Conversations``), so the citizen is asked to try again. Provider
webhooks answer a fault with 503 instead (``bot.http.webhooks``): the provider
delivers the message again.
"""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from bot.core.privacy import mask_address
from bot.core.render import Renderer
from bot.intake.conversations import Conversations
from bot.intake.outcome import Outcome
from connectors.messages import Inbound
from storage.state import StateUnavailable

log = logging.getLogger("lapor.faults")
LANGUAGE_LOOKUP_SECONDS = 0.5  # the apology must not wait on the store that failed


def is_fault(exc: BaseException) -> bool:
    """True for an outage of the database or the state store (the turn did not commit)."""
    if isinstance(
        exc, StateUnavailable | OperationalError | InterfaceError | DisconnectionError | PoolTimeout
    ):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    # asyncpg and sockets raise these before SQLAlchemy can wrap them.
    return isinstance(exc, OSError | TimeoutError)


async def handle_politely(conversations: Conversations, inbound: Inbound) -> Outcome:
    """``conversations.handle(inbound)``, with a fault answered by an apology."""
    try:
        return await conversations.handle(inbound)
    except Exception as exc:
        if not is_fault(exc):
            raise
        log.warning("turn failed: %s", type(exc).__name__, extra={"address": mask_address(inbound.address)})
        language = await _language(conversations, inbound.address)
        apology = Renderer(conversations.texts, language, inbound.address).reply("service_fault")
        return Outcome(replies=[apology])


async def _language(conversations: Conversations, address: str) -> str:
    """The citizen's language if the state store still answers, else Indonesian."""
    try:
        async with asyncio.timeout(LANGUAGE_LOOKUP_SECONDS):
            state = await conversations.state.get(f"conv:{address}")
    except (StateUnavailable, TimeoutError):
        return "id"
    language = (state or {}).get("language")
    return language if isinstance(language, str) and language in ("id", "en") else "id"
