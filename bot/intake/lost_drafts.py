"""A draft lost with the state store is found in the transcript, and offered back.

The state store (Redis) holds an unfinished report; the database holds its
transcript. When a citizen writes and the store has no state for them, but the
database shows a dialogue open in the last day (a conversation row without a
complaint, with the citizen's answers in it), the state was lost: a Redis
restart, a flush, an eviction. The citizen is told and offered to continue from
what the transcript holds (their answers are replayed through the engine under
the same conversation id) or to start again. Their message is not read as an
answer to a question they were never asked again.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.render import Option, Renderer
from bot.core.text_hygiene import clean, evidence
from bot.engine import ConversationState, Turn, UserMessage
from bot.engine.commands import normalize
from bot.engine.matching import pick
from connectors.messages import Inbound
from dialogues.texts import Texts
from storage.models import Conversation, Message, Reporter

# A draft idle for longer is dropped by the engine anyway (see "Resume").
RECENT = timedelta(hours=24)
MARK = "lost_draft"  # the state's context key while the offer is open
START_WORD = "lapor"  # the command that starts a report, in every language
CONTINUE, RESTART = "continue_draft", "restart_draft"
_OPTIONS = (Option(CONTINUE, f"choice.{CONTINUE}"), Option(RESTART, f"choice.{RESTART}"))
_CONTINUE_WORDS = frozenset({"lanjut", "lanjutkan", "ya", "iya", "continue", "yes"})
_RESTART_WORDS = frozenset({"mulai", "mulai lagi", "ulang", "baru", "tidak", "start", "start again", "no"})

# Runs the engine on one message at a time and date, with the ids it is to use.
Replay = Callable[[ConversationState, UserMessage, datetime, str], Awaitable[Turn]]


@dataclass(frozen=True, slots=True)
class OpenDraft:
    """A dialogue the transcript shows open: its id, language and the citizen's lines."""

    conversation_id: str
    language: str
    answers: list[tuple[str, datetime]]


async def find_open_draft(session: AsyncSession, address: str, now: datetime) -> OpenDraft | None:
    """The citizen's most recent conversation, if it is recent and has no complaint."""
    statement = (
        select(Conversation.id, Conversation.complaint_id, Reporter.language)
        .join(Reporter, Reporter.id == Conversation.reporter_id)
        .where(Reporter.address == address, Conversation.started_at > now - RECENT)
        .order_by(Conversation.started_at.desc())
        .limit(1)
    )
    found = (await session.execute(statement)).first()
    if found is None or found.complaint_id is not None:
        return None
    lines = select(Message.text, Message.created_at).where(
        Message.conversation_id == found.id, Message.direction == "in"
    )
    answers = [(r.text, r.created_at) for r in await session.execute(lines.order_by(Message.id))]
    if not answers:
        return None
    return OpenDraft(found.id, found.language or "id", answers)


class DraftRecovery:
    """Turns for a citizen whose state is missing while their draft is in the transcript."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], texts: Texts, replay: Replay) -> None:
        self.sessions = sessions
        self.texts = texts
        self.replay = replay

    async def turn(self, state: ConversationState | None, inbound: Inbound, now: datetime) -> Turn | None:
        """A turn of its own when a lost draft is at stake, else None (the engine runs).

        ``state`` is the stored state, None when the store has none.
        """
        if state is None:
            return await self._offer(inbound, now)
        if MARK in state.context:
            return await self._answer(state, inbound)
        return None

    async def _offer(self, inbound: Inbound, now: datetime) -> Turn | None:
        async with self.sessions() as session:
            draft = await find_open_draft(session, inbound.address, now)
        if draft is None:
            return None
        state = ConversationState(inbound.address, language=draft.language, consented=True)
        state.context[MARK] = draft.conversation_id
        return self._ask(state)

    def _ask(self, state: ConversationState) -> Turn:
        renderer = Renderer(self.texts, state.language, state.address)
        offer = renderer.reply("draft_lost", options=_OPTIONS)
        state.choices = [[c.title, c.payload] for c in offer.choices]
        return Turn(state=state, replies=[offer])

    async def _answer(self, state: ConversationState, inbound: Inbound) -> Turn:
        choice = pick(inbound.text, state.choices) or _word(inbound.text)
        if choice is None:
            return self._ask(state)  # asked again: an answer to an old question is not taken
        conversation_id = str(state.context.pop(MARK))
        renderer = Renderer(self.texts, state.language, state.address)
        fresh = ConversationState(state.address, language=state.language, consented=True)
        draft = None
        if choice == CONTINUE:
            async with self.sessions() as session:
                draft = await find_open_draft(session, state.address, inbound.received_at)
        if draft is None or draft.conversation_id != conversation_id:
            return await self._restart(fresh, renderer, inbound.received_at)
        restored = await self._rebuild(fresh, draft)
        restored.replies.insert(0, renderer.reply("draft_restored"))
        return restored

    async def _restart(self, fresh: ConversationState, renderer: Renderer, now: datetime) -> Turn:
        """A new report, as if the citizen had asked for one."""
        start = UserMessage(text=START_WORD, original=START_WORD)
        turn = await self.replay(fresh, start, now, secrets.token_hex(16))
        turn.replies.insert(0, renderer.reply("draft_restarted"))
        return turn

    async def _rebuild(self, fresh: ConversationState, draft: OpenDraft) -> Turn:
        """Replay the citizen's answers, in order, as the engine first heard them."""
        turn = Turn(state=fresh)
        for text, at in draft.answers:
            message = UserMessage(text=clean(text), original=evidence(text))
            turn = await self.replay(turn.state, message, at, draft.conversation_id)
        # The transcript already holds every replayed line: only the last question is asked.
        turn.effects = []
        turn.previous_conversation_id = draft.conversation_id
        return turn


def _word(text: str) -> str | None:
    word = normalize(text)
    if word in _CONTINUE_WORDS:
        return CONTINUE
    if word in _RESTART_WORDS:
        return RESTART
    return None
