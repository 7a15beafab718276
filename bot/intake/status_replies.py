"""Answer "where is my complaint?" from the reporter's own records only.

Someone else's ticket and a ticket that does not exist get the same answer,
so a status look-up never confirms that a ticket exists.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.render import Renderer
from bot.officers.deadlines import next_step
from connectors.messages import Outbound
from storage.models import Complaint, Reporter
from storage.tickets import normalize_ticket

LIST_LIMIT = 5


def _params(renderer: Renderer, complaint: Complaint) -> dict[str, str]:
    return {
        "ticket": complaint.ticket,
        "status": renderer.word(f"status.{complaint.status}"),
        "category": renderer.word(f"category.{complaint.category}"),
        "next_step": next_step(renderer, complaint),
    }


async def status_replies(
    session: AsyncSession, renderer: Renderer, ticket_text: str | None
) -> list[Outbound]:
    """The replies for a status query by ``renderer.address``."""
    owner = select(Reporter.id).where(Reporter.address == renderer.address).scalar_subquery()
    query = select(Complaint).where(Complaint.reporter_id == owner)
    if ticket_text:
        ticket = normalize_ticket(ticket_text)
        found = await session.scalar(query.where(Complaint.ticket == ticket)) if ticket else None
        if found is None:
            shown = ticket or ticket_text.upper()[:16]
            return [renderer.reply("status_not_found", {"ticket": shown})]
        return [renderer.reply("status_one", _params(renderer, found))]
    latest = (await session.scalars(query.order_by(Complaint.id.desc()).limit(LIST_LIMIT))).all()
    if not latest:
        return [renderer.reply("status_none")]
    lines = [renderer.reply("status_line", _params(renderer, c)) for c in latest]
    header = renderer.reply("status_list_header")
    text = "\n".join([header.text, *(line.text for line in lines)])
    short = "\n".join(line.short_text or line.text for line in lines)
    return [Outbound(address=renderer.address, text=text, short_text=short, key="status_list")]
