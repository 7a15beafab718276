"""STOP / BERHENTI / START on channels that have opt-out words, before the dialogue sees them.

A message that is only an opt-out word marks the reporter opted out (nothing
is sent to them afterwards, see ``bot.delivery.send_guard``) and is answered once with
a short confirmation; an opt-in word from an opted-out reporter clears it.
START from someone who is not opted out is an ordinary "start a report".
Which words count, and whether the provider confirms them itself (then we stay
silent), is the channel's own knowledge (``connectors.base.OptOutKeywords``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.render import Renderer
from bot.delivery.outbox_kinds import OPT_OUT_CONFIRMATION, REPLY
from bot.delivery.outbox_payload import to_payload
from bot.intake.outcome import Outcome
from connectors.base import OptKeyword, OptOutKeywords
from connectors.messages import Inbound, Outbound, channel_of
from dialogues.texts import Texts
from storage import outbox
from storage.models import InboundSeen, OutboxMessage, Reporter

Keyword = OptKeyword
KeywordsOf = Callable[[str], OptOutKeywords | None]


class OptOutDesk:
    """Applies opt-out and opt-in keywords in one transaction each."""

    def __init__(
        self,
        *,
        sessions: async_sessionmaker[AsyncSession],
        texts: Texts,
        clock: Callable[[], datetime],
        keywords: KeywordsOf,
    ) -> None:
        """``keywords``: the opt-out words of an address's channel (None: it has none)."""
        self.sessions = sessions
        self.texts = texts
        self.clock = clock
        self.keywords = keywords

    async def handle(self, inbound: Inbound, language: str) -> Outcome | None:
        """Process ``inbound`` if it is an opt-out/in keyword; None when it is not one."""
        words = self.keywords(inbound.address)
        if words is None or inbound.media or inbound.location:
            return None
        word = words.opt_keyword(inbound.address, inbound.text)
        if word is None:
            return None
        confirmed = words.provider_answers(inbound.address, inbound.text)
        async with self.sessions() as session:
            try:
                return await self._apply(session, inbound, language, word, confirmed)
            except IntegrityError:  # the provider's retry of a message already processed
                await session.rollback()
                if not await self._seen(inbound):
                    raise
                return Outcome(duplicate=True)

    async def _apply(
        self, session: AsyncSession, inbound: Inbound, language: str, word: Keyword, confirmed: bool
    ) -> Outcome | None:
        """``confirmed``: the provider has already answered the citizen."""
        reporter = await session.scalar(select(Reporter).where(Reporter.address == inbound.address))
        was_out = reporter is not None and reporter.opted_out
        if word == "start" and not was_out:
            return None  # "start" as in "start a report": the dialogue's business
        if inbound.external_id:
            seen = {"channel": inbound.channel, "external_id": inbound.external_id}
            await session.execute(insert(InboundSeen).values(**seen, received_at=self.clock()))
        reporter = reporter or self._new_reporter(session, inbound, language)
        reporter.opted_out = word == "stop"
        reporter.language = language
        reporter.last_inbound_at = inbound.received_at
        # Answer once: a second STOP changes nothing, and Twilio answers its own words.
        answer = not confirmed and not (word == "stop" and was_out)
        replies = [self._confirmation(inbound.address, language, word)] if answer else []
        rows = [self._enqueue(session, reply, word) for reply in replies]
        await session.flush()
        ids = [row.id for row in rows]
        await session.commit()
        return Outcome(replies, ids)

    def _new_reporter(self, session: AsyncSession, inbound: Inbound, language: str) -> Reporter:
        reporter = Reporter(
            address=inbound.address,
            channel=inbound.channel,
            language=language,
            created_at=inbound.received_at,
            opted_out=False,
            unreachable=False,
        )
        session.add(reporter)
        return reporter

    def _confirmation(self, address: str, language: str, word: Keyword) -> Outbound:
        key = "opted_out" if word == "stop" else "opted_in"
        return Renderer(self.texts, language, address).reply(key)

    def _enqueue(self, session: AsyncSession, reply: Outbound, word: Keyword) -> OutboxMessage:
        return outbox.enqueue(
            session,
            address=reply.address,
            channel=channel_of(reply.address),
            payload=to_payload(reply),
            now=self.clock(),
            kind=OPT_OUT_CONFIRMATION if word == "stop" else REPLY,
        )

    async def _seen(self, inbound: Inbound) -> bool:
        async with self.sessions() as session:
            return await session.get(InboundSeen, (inbound.channel, inbound.external_id)) is not None
