"""``POST /api/v1/complaints/{ticket}/legal-hold``: officers set or lift a legal hold (audited)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path
from pydantic import BaseModel, ConfigDict
from sqlalchemy.ext.asyncio import AsyncSession

from bot.engine.state import conversation_key
from bot.http.deps import get_runtime
from bot.http.officer_api.auth import Writer
from bot.officers.auth import Principal
from bot.officers.schemas import Error
from bot.officers.scope import find
from bot.officers.service import ActionError
from bot.rights.hold import set_legal_hold
from bot.runtime.process import Runtime
from storage.models import Reporter
from storage.state import LockTimeout

router = APIRouter(prefix="/api/v1", tags=["officers"])
Ticket = Annotated[str, Path(min_length=1, max_length=32, description="e.g. LPR-7K3M9QXD")]
_ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": Error, "description": "No valid API token"},
    403: {"model": Error, "description": "The account may not do this"},
    404: {"model": Error, "description": "No such complaint for this account"},
    503: {"model": Error, "description": "The reporter's conversation is busy; retry"},
}


class LegalHold(BaseModel):
    model_config = ConfigDict(extra="forbid")
    hold: bool


class LegalHoldOut(BaseModel):
    ticket: str
    legal_hold: bool


@router.post("/complaints/{ticket}/legal-hold", response_model=LegalHoldOut, responses=_ERRORS)
async def legal_hold(
    ticket: Ticket, body: LegalHold, who: Writer, runtime: Annotated[Runtime, Depends(get_runtime)]
) -> LegalHoldOut:
    """Keep the complaint's data whatever the reporter asks (UU PDP erasure) and past retention."""
    try:
        async with runtime.sessions() as session:
            address = await _address(session, who, ticket)
        # The reporter's conversation lock: an erasure in chat cannot interleave.
        async with runtime.state.lock(conversation_key(address)), runtime.sessions() as session:
            complaint = await set_legal_hold(session, who, ticket, body.hold, runtime.clock())
            await session.commit()
    except ActionError as exc:
        raise HTTPException(exc.status_code, exc.message) from None
    except LockTimeout:
        raise HTTPException(503, "the reporter's conversation is busy; try again") from None
    return LegalHoldOut(ticket=complaint.ticket, legal_hold=complaint.legal_hold)


async def _address(session: AsyncSession, who: Principal, ticket: str) -> str:
    complaint = await find(session, who, ticket)
    if complaint is None:
        raise HTTPException(404, "complaint not found")
    reporter = await session.get(Reporter, complaint.reporter_id)
    assert reporter is not None  # a foreign key, never null
    return reporter.address
