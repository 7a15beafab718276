"""``HAPUS DATA`` confirmed in chat: erase within the turn's transaction, answer, forget the state."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.render import Renderer
from bot.engine.state import ConversationState
from bot.rights import requests
from bot.rights.erase import erase_in_session, forget_address, leave_no_trace
from connectors.messages import Outbound
from dialogues.texts import Texts
from storage.state import StateStore


async def erase_for_chat(
    session: AsyncSession, texts: Texts, state: ConversationState, address: str, now: datetime
) -> list[Outbound]:
    """Apply ``EraseData``; the reply says what was erased, or which complaints are held and why."""
    renderer = Renderer(texts, state.language, address)
    report = await erase_in_session(session, address, actor=requests.REPORTER, now=now)
    if report is None:
        return [renderer.reply("erase_nothing")]
    if report.held:
        return [renderer.reply("erase_held", {"tickets": ", ".join(report.held)})]
    return [renderer.reply("erase_done")]


async def after_erasure(sessions: async_sessionmaker[AsyncSession], state: StateStore, address: str) -> None:
    """After the commit: nothing named by the address stays in the state store or on disk."""
    await forget_address(state, address)
    await leave_no_trace(sessions)
