"""Flow 1: a citizen's message becomes state, records and replies, atomically.

dedup -> per-conversation lock -> NLU -> engine.step -> one transaction
(dedup record, reporter, transcript, complaint, outbox) -> state saved ->
sends scheduled after commit.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.privacy import mask_address
from bot.core.render import Renderer
from bot.core.text_hygiene import clean, evidence
from bot.delivery.outbox_payload import to_payload
from bot.engine import ConversationState, Turn, UserMessage, step
from bot.engine.flow import MAX_TEXT
from bot.engine.state import conversation_key
from bot.engine.turn import EraseData, Feedback, GiveConsent, ReporterReply, StatusQuery, Submit
from bot.intake.followup_answers import apply_followup
from bot.intake.lost_drafts import DraftRecovery
from bot.intake.media import MediaIntake
from bot.intake.opt_out import OptOutDesk
from bot.intake.outcome import Outcome
from bot.intake.status_replies import status_replies
from bot.intake.turn_records import (
    attach,
    ensure_conversation,
    file_complaint,
    reporter_for,
    write_transcript,
)
from bot.rights.chat import after_erasure, erase_for_chat
from connectors.messages import Inbound, Outbound
from dialogues.schema import Dialogue
from dialogues.texts import Texts
from nlu.types import Parser
from storage import outbox
from storage.models import InboundSeen, OutboxMessage
from storage.state import Lease, LockTimeout, StateStore, StateUnavailable
from storage.tickets import new_ticket

log = logging.getLogger("lapor.conversations")
STATE_TTL = timedelta(days=7).total_seconds()
FOLLOW_UP_TTL = timedelta(days=30).total_seconds()
CLAIM_TTL = 120.0
LOCK_LEASE = 30.0  # renewed while a turn runs (media downloads can take minutes)


class Conversations:
    """Processes inbound messages; one instance per process, stateless itself."""

    def __init__(
        self,
        *,
        sessions: async_sessionmaker[AsyncSession],
        state: StateStore,
        parser: Parser,
        dialogue: Dialogue,
        texts: Texts,
        media: MediaIntake,
        synchronous: frozenset[str],
        clock: Callable[[], datetime],
        rate_limit_per_minute: int = 30,
        status_checks_per_hour: int = 20,
        opt_out: OptOutDesk | None = None,
        parser_blocks: bool = False,
        lock_wait: float = 10.0,
        lock_lease: float = LOCK_LEASE,
    ) -> None:
        self.sessions = sessions
        self.state = state
        self.parser = parser
        self.dialogue = dialogue
        self.texts = texts
        self.media = media
        self.synchronous = synchronous
        self.clock = clock
        self.rate_limit_per_minute = rate_limit_per_minute
        self.status_checks_per_hour = status_checks_per_hour
        self.parser_blocks = parser_blocks
        self.lock_wait = lock_wait
        self.lock_lease = lock_lease
        self.opt_out = opt_out
        self.drafts = DraftRecovery(sessions, texts, self._replay)

    async def handle(self, inbound: Inbound) -> Outcome:
        """Process one message exactly once; replies go out after commit."""
        claim = f"seen:{inbound.channel}:{inbound.external_id}" if inbound.external_id else None
        if claim and not await self.state.claim(claim, CLAIM_TTL):
            return Outcome(duplicate=True)
        try:
            return await self._locked(inbound)
        except BaseException:
            if claim:
                await self.state.release_claim(claim)
            raise

    async def _locked(self, inbound: Inbound) -> Outcome:
        key = conversation_key(inbound.address)
        try:
            async with self.state.lock(key, expire=self.lock_lease, wait=self.lock_wait, renew=True) as lease:
                outcome = await self._process(inbound, key, lease)
            log.debug(
                "turn", extra={"address": mask_address(inbound.address), "replies": len(outcome.replies)}
            )
            return outcome
        except LockTimeout:
            log.warning("conversation busy", extra={"address": mask_address(inbound.address)})
            if inbound.channel not in self.synchronous:
                raise  # unacknowledged: the provider (or the poller) delivers it again
            return self._busy(inbound)

    def _busy(self, inbound: Inbound) -> Outcome:
        return Outcome(replies=[Renderer(self.texts, "id", inbound.address).reply("busy")])

    async def _process(self, inbound: Inbound, key: str, lease: Lease) -> Outcome:
        raw = await self.state.get(key)
        stored = ConversationState.from_dict(raw) if raw else None
        state = stored or ConversationState(inbound.address)
        renderer = Renderer(self.texts, state.language, inbound.address)
        # STOP / START on SMS and WhatsApp: honoured before anything else, even rate limits.
        handled = await self.opt_out.handle(inbound, state.language) if self.opt_out else None
        if handled is not None:
            return handled
        if not await self.state.hit(f"rate:{inbound.address}", self.rate_limit_per_minute, 60):
            return await self._rate_limited(inbound, renderer.reply("rate_limited"))
        intake = await self.media.take(inbound)
        turn = await self.drafts.turn(stored, inbound, self.clock())
        if turn is None:
            turn = await self._run(state, inbound, intake.accepted_count, intake.rejected)
        async with self.sessions() as session:
            try:
                outcome = await self._record(session, inbound, turn, intake, lease)
            except IntegrityError:
                await session.rollback()
                if inbound.external_id and await self._already_seen(inbound):
                    return Outcome(duplicate=True)
                raise
        if turn.erases:
            await after_erasure(self.sessions, self.state, inbound.address)
        else:
            await self._save(key, turn.state)
        return outcome

    async def _save(self, key: str, state: ConversationState) -> None:
        """Save the state after commit; a store that fails now costs a repeated question.

        The turn is committed and its replies are true (a ticket was filed), so they
        are given; the next turn runs against the previous state, or, if the store
        lost everything, finds the draft in the transcript (``lost_drafts``).
        """
        try:
            await self.state.set(key, state.to_dict(), ttl=_ttl(state))
        except StateUnavailable:
            log.warning("state not saved after commit", extra={"address": mask_address(state.address)})

    async def _rate_limited(self, inbound: Inbound, notice: Outbound) -> Outcome:
        """Drop a flooding sender's message; tell them once per window.

        The message is recorded as seen so the provider's retries stop, and on
        asynchronous channels the notice goes through the outbox like any reply.
        """
        if inbound.channel in self.synchronous:
            return Outcome(replies=[notice])
        tell = await self.state.claim(f"rate-notice:{inbound.address}", 60)
        async with self.sessions() as session:
            if inbound.external_id:
                seen = InboundSeen(
                    channel=inbound.channel, external_id=inbound.external_id, received_at=self.clock()
                )
                session.add(seen)
            ids = await self._enqueue(session, inbound, [notice] if tell else [], self.clock())
            await session.commit()
        return Outcome(replies=[notice] if tell else [], outbox_ids=ids)

    async def _run(self, state: ConversationState, inbound: Inbound, photos: int, rejected: bool) -> Turn:
        text = clean(inbound.text)
        message = UserMessage(
            text=text,
            original=evidence(inbound.text),
            location=inbound.location,
            contact=inbound.contact,
            photos=photos,
            photo_rejected=rejected,
            unsupported=inbound.unsupported,
        )
        before = state.conversation_id
        turn = await self._step(state, message)
        turn.previous_conversation_id = before
        if turn.replay:
            replay = UserMessage(text=turn.replay, original=turn.replay)
            follow = await self._step(turn.state, replay)
            follow.replies[:0], follow.effects[:0] = turn.replies, turn.effects
            follow.previous_conversation_id = before
            # Kept so the transcript holds the first message too (a lost draft is rebuilt from it).
            follow.replay = turn.replay
            turn = follow
        return turn

    async def _replay(
        self, state: ConversationState, message: UserMessage, at: datetime, conversation_id: str
    ) -> Turn:
        """One step at a past time under a known conversation id (rebuilding a lost draft)."""
        return await self._step(state, message, now=at, conversation_id=conversation_id)

    async def _step(
        self,
        state: ConversationState,
        message: UserMessage,
        *,
        now: datetime | None = None,
        conversation_id: str | None = None,
    ) -> Turn:
        now = now or self.clock()
        # Too long to be a chat message: the engine says so without reading it.
        readable = message.text if len(message.text) <= MAX_TEXT else ""
        if not readable and message.location and message.location.address:
            readable = message.location.address[:MAX_TEXT]  # a shared point's address names its place
        if self.parser_blocks:  # a remote NLU (Rasa) must not stall the event loop
            parse = await asyncio.to_thread(self.parser.parse, readable, now)
        else:
            parse = self.parser.parse(readable, now)
        ids = (new_ticket(), conversation_id or secrets.token_hex(16))
        return step(self.dialogue, self.texts, state, message, parse, now, new_ids=ids)

    async def _record(
        self, session: AsyncSession, inbound: Inbound, turn: Turn, intake: MediaIntake.Result, lease: Lease
    ) -> Outcome:
        """One transaction, few round trips: every statement here is on the hot path."""
        now = self.clock()
        if inbound.external_id:
            await session.execute(
                insert(InboundSeen).values(
                    channel=inbound.channel, external_id=inbound.external_id, received_at=now
                )
            )
        consented = now if any(isinstance(e, GiveConsent) for e in turn.effects) else None
        reporter = await reporter_for(session, inbound, turn.state.language, consented)
        replies = list(turn.replies)
        for effect in turn.effects:
            if isinstance(effect, StatusQuery):
                replies += await self._status(session, turn.state, effect)
            elif isinstance(effect, Feedback | ReporterReply):
                await apply_followup(session, effect, reporter, now)
            elif isinstance(effect, EraseData):
                replies += await erase_for_chat(session, self.texts, turn.state, inbound.address, now)
        conversation_id = turn.state.conversation_id or _submitted_id(turn)
        if conversation_id:
            if conversation_id != turn.previous_conversation_id:
                await ensure_conversation(session, conversation_id, reporter, now)
            held = [("in", turn.replay)] if turn.replay else []  # the first message, held for consent
            lines = [("in", inbound.text), *held] + [("out", r.text) for r in replies]
            await write_transcript(session, conversation_id, lines, now)
            for media in intake.accepted:
                attach(session, conversation_id, media, now)
        if turn.submitted:
            complaint = await file_complaint(session, turn.submitted, reporter, inbound)
            log.info("complaint filed", extra={"ticket": complaint.ticket, "category": complaint.category})
        ids = await self._enqueue(session, inbound, replies, now)
        lease.check()  # a turn that lost its lock must not commit over another's
        await session.commit()
        return Outcome(replies=replies, outbox_ids=ids)

    async def _status(
        self, session: AsyncSession, state: ConversationState, query: StatusQuery
    ) -> list[Outbound]:
        renderer = Renderer(self.texts, state.language, state.address)
        if not await self.state.hit(f"status:{state.address}", self.status_checks_per_hour, 3600):
            return [renderer.reply("status_rate_limited")]
        return await status_replies(session, renderer, query.ticket or query.raw_ticket)

    async def _enqueue(
        self, session: AsyncSession, inbound: Inbound, replies: list[Outbound], now: datetime
    ) -> list[int]:
        if inbound.channel in self.synchronous or not replies:
            return []
        rows = [
            outbox.row(address=r.address, channel=inbound.channel, payload=to_payload(r), now=now)
            for r in replies
        ]
        result = await session.execute(insert(OutboxMessage).returning(OutboxMessage.id), rows)
        return sorted(result.scalars().all())

    async def _already_seen(self, inbound: Inbound) -> bool:
        async with self.sessions() as session:
            seen = await session.get(InboundSeen, (inbound.channel, inbound.external_id))
            return seen is not None


def _ttl(state: ConversationState) -> float:
    """Keep a conversation as long as a question to the reporter is open."""
    if state.context.get("feedback_ticket") or state.context.get("info_ticket"):
        return FOLLOW_UP_TTL
    return STATE_TTL


def _submitted_id(turn: Turn) -> str | None:
    submit = turn.submitted
    return submit.conversation_id if isinstance(submit, Submit) else None
