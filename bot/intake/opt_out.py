"""STOP / BERHENTI / START on SMS and WhatsApp, before the dialogue sees them.

A message that is only an opt-out word marks the reporter opted out (nothing
is sent to them afterwards, see ``bot.delivery.send_guard``) and is answered once with
a short confirmation; an opt-in word from an opted-out reporter clears it.
START from someone who is not opted out is an ordinary "start a report".

Twilio SMS numbers are special: Twilio itself answers its standard keywords
(STOP, UNSUBSCRIBE, END, QUIT, STOPALL, REVOKE, OPTOUT, CANCEL; START, UNSTOP,
YES) and blocks sends after an opt-out (error 21610), so there we record the
change without a confirmation of our own, and treat CANCEL and YES the way
Twilio does. Indonesian words (BERHENTI, MULAI) are unknown to Twilio and get
our confirmation. Kannel and WhatsApp leave everything to us.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import datetime
from typing import Literal

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.render import Renderer
from bot.delivery.channels import Channels
from bot.delivery.outbox_payload import to_payload
from bot.delivery.tel_routing import TelRouter
from bot.intake.outcome import Outcome
from connectors.messages import Inbound, Outbound, channel_of
from connectors.sms import sms_keyword
from dialogues.texts import Texts
from storage import outbox
from storage.models import InboundSeen, OutboxMessage, Reporter

OPT_OUT_CHANNELS = frozenset({"tel", "whatsapp"})
# The outbox kind of the one confirmation an opted-out reporter still receives.
CONFIRMATION_KIND = "opt_out"
TWILIO_STOP_WORDS = frozenset({"stop", "stopall", "unsubscribe", "end", "quit", "optout", "revoke", "cancel"})
TWILIO_START_WORDS = frozenset({"start", "unstop", "yes"})

Keyword = Literal["stop", "start"]


def keyword(text: str, *, twilio: bool) -> Keyword | None:
    """The opt-out/in meaning of ``text``, as the SMS transport understands it."""
    found = sms_keyword(text)
    if found or not twilio:
        return found
    word = _word(text)
    if word in TWILIO_STOP_WORDS:
        return "stop"
    return "start" if word in TWILIO_START_WORDS else None


def twilio_answers(text: str) -> bool:
    """Whether Twilio replies to ``text`` itself (one of its standard keywords)."""
    return _word(text) in TWILIO_STOP_WORDS | TWILIO_START_WORDS


def _word(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().rstrip(".!").strip().casefold()


def twilio_sms_addresses(channels: Channels) -> Callable[[str], bool]:
    """Whether sends to an address go through Twilio SMS (which handles keywords itself)."""

    def through_twilio(address: str) -> bool:
        connector = channels.by_scheme.get(channel_of(address))
        if isinstance(connector, TelRouter):
            connector = connector.route(address)
        return connector is not None and connector.name == "twilio_sms"

    return through_twilio


class OptOutDesk:
    """Applies opt-out and opt-in keywords in one transaction each."""

    def __init__(
        self,
        *,
        sessions: async_sessionmaker[AsyncSession],
        texts: Texts,
        clock: Callable[[], datetime],
        through_twilio: Callable[[str], bool],
    ) -> None:
        self.sessions = sessions
        self.texts = texts
        self.clock = clock
        self.through_twilio = through_twilio

    async def handle(self, inbound: Inbound, language: str) -> Outcome | None:
        """Process ``inbound`` if it is an opt-out/in keyword; None when it is not one."""
        if inbound.channel not in OPT_OUT_CHANNELS or inbound.media or inbound.location:
            return None
        twilio = self.through_twilio(inbound.address)
        word = keyword(inbound.text, twilio=twilio)
        if word is None:
            return None
        confirmed = twilio and twilio_answers(inbound.text)
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
            kind=CONFIRMATION_KIND if word == "stop" else "reply",
        )

    async def _seen(self, inbound: Inbound) -> bool:
        async with self.sessions() as session:
            return await session.get(InboundSeen, (inbound.channel, inbound.external_id)) is not None
