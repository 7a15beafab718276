"""Point the reporter's conversation at the question a push just asked.

After "resolved" the reporter's next message answers "is it fixed?"
(``context["feedback_ticket"]``); after a request for information it is the
answer for the officer (``context["info_ticket"]``). Any other status clears
a question about that ticket. The caller holds the conversation lock
(``conv:<address>``), the same one the message handler takes.
"""

from __future__ import annotations

from datetime import timedelta

from bot.engine.state import ConversationState, conversation_key
from storage.models import Reporter
from storage.state import StateStore

# Longer than the auto-close period (10 working days), so an answer still lands.
STATE_TTL = timedelta(days=30).total_seconds()
FEEDBACK, INFO = "feedback_ticket", "info_ticket"


def _fresh(reporter: Reporter) -> ConversationState:
    return ConversationState(
        reporter.address, language=reporter.language, consented=reporter.consented_at is not None
    )


def apply(state: ConversationState, ticket: str, status: str, yes_no: list[list[str]]) -> bool:
    """Update ``state`` for ``ticket`` now in ``status``; True when something changed."""
    context = state.context
    before = dict(context), state.awaiting, list(state.choices)
    wanted = {"resolved": FEEDBACK, "needs_info": INFO}.get(status)
    for key in (FEEDBACK, INFO):
        if key != wanted and context.get(key) == ticket:
            context.pop(key)
            if key == FEEDBACK and state.flow is None and state.awaiting == "rating":
                state.awaiting = None
    if wanted:
        context[wanted] = ticket
        if state.flow is None:
            state.awaiting = None
            if wanted == FEEDBACK:
                # So that a numbered SMS reply ("1") maps to the push's Ya/Tidak.
                state.choices = yes_no
    return (dict(context), state.awaiting, list(state.choices)) != before


async def sync(
    store: StateStore, reporter: Reporter, ticket: str, status: str, yes_no: list[list[str]]
) -> None:
    """Write the follow-up question for ``ticket`` into the reporter's conversation state."""
    key = conversation_key(reporter.address)
    raw = await store.get(key)
    state = ConversationState.from_dict(raw) if raw else _fresh(reporter)
    if apply(state, ticket, status, yes_no):
        await store.set(key, state.to_dict(), ttl=STATE_TTL)
