"""The demo officer's automatic dashboard login: demo mode only, and the page says so."""

from __future__ import annotations

from sqlalchemy import select
from starlette.responses import Response

from bot.http.dashboard.sessions import COOKIE, secure_cookies, set_cookie
from bot.http.demo.mode import require_demo
from bot.http.demo.seed import DEMO_EMAIL
from bot.officers.audit import audit
from bot.officers.auth import open_session
from bot.runtime.process import Runtime
from storage.officers_models import Officer


async def login_demo_officer(runtime: Runtime, response: Response) -> bool:
    """Open a dashboard session for the demo officer on ``response``; False without one."""
    require_demo(runtime.settings)
    now = runtime.clock()
    async with runtime.sessions() as session:
        officer = await session.scalar(select(Officer).where(Officer.email == DEMO_EMAIL))
        if officer is None:
            return False
        cookie, _ = await open_session(session, officer, now)
        audit(session, None, "login", now, officer=officer.id, via="demo")
        await session.commit()
    set_cookie(response, COOKIE, cookie, secure=secure_cookies(runtime))
    return True
