"""PostgreSQL unreachable at the final commit: no ticket shown, and a retry files exactly one."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.engine import make_url

from bot.runtime.process import Runtime, build_runtime
from bot.runtime.settings import load_settings
from storage.db import create_engine
from storage.models import Complaint, InboundSeen
from tests.faults.conftest import ClientFactory
from tests.faults.servers import CuttableLink
from tests.faults.test_redis_killed import WebhookChannel, _post
from tests.intake.test_concurrency import _index_texts, _key
from tests.support import REST_TOKEN, Clock
from tests.support.autopilot import Answers

pytestmark = pytest.mark.postgres


class CutAtCommit:
    """Cuts the link to the database the moment the next COMMIT is about to be sent."""

    def __init__(self, runtime: Runtime, link: CuttableLink) -> None:
        self.link, self.armed, self.cuts = link, False, 0
        event.listen(runtime.db.sync_engine, "commit", self._before_commit)

    def _before_commit(self, connection: Any) -> None:
        if self.armed:
            self.armed = False
            self.cuts += 1
            self.link.cut()


@pytest.fixture
async def link(database_url: str) -> AsyncIterator[CuttableLink]:
    url = make_url(database_url)
    proxy = CuttableLink(url.host or "127.0.0.1", url.port or 5432)
    await proxy.start()
    yield proxy
    await proxy.aclose()


@pytest.fixture
async def proxied(
    database_url: str, link: CuttableLink, tmp_path: Path, clock: Clock
) -> AsyncIterator[Runtime]:
    url = make_url(database_url).set(host="127.0.0.1", port=link.port)
    settings = load_settings(
        database_url=url.render_as_string(hide_password=False),
        state_path=tmp_path / "state.sqlite3",
        rest_token=REST_TOKEN,
    )
    runtime = await build_runtime(settings, clock=clock, migrate=False)
    yield runtime
    await runtime.close()


async def _count(database_url: str, what: Any) -> int:
    engine = create_engine(database_url)  # straight to the database, not through the link
    try:
        async with engine.connect() as conn:
            return int((await conn.execute(select(func.count()).select_from(what))).scalar_one())
    finally:
        await engine.dispose()


async def test_database_lost_at_the_final_commit(
    proxied: Runtime, link: CuttableLink, database_url: str, http_client: ClientFactory
) -> None:
    _index_texts(proxied)
    cutter = CutAtCommit(proxied, link)
    answers = Answers(
        description="lampu jalan mati di depan sekolah sejak seminggu",
        location="Jl. Kaliurang, Kabupaten Sleman",
    )
    async with http_client(proxied) as client:

        async def keys(text: str) -> list[str]:
            return [_key(t) for t in await _post(client, "citra", text)]

        reply = await keys(answers.description)
        while reply[-1] != "summary":
            answer = answers.for_key(reply[-1])
            assert answer is not None, reply
            reply = await keys(answer)

        cutter.armed = True
        assert await keys("kirim") == ["service_fault"], "no ticket before the commit"
        assert cutter.cuts == 1
        assert await _count(database_url, Complaint) == 0

        link.restore()
        assert await keys("kirim") == ["submitted"]
        assert await keys("kirim") != ["submitted"], "a second tap files nothing"
    assert await _count(database_url, Complaint) == 1


async def test_a_webhook_lost_at_commit_gets_503_and_its_retry_is_stored_once(
    proxied: Runtime, link: CuttableLink, database_url: str, http_client: ClientFactory
) -> None:
    proxied.channels.add(WebhookChannel(), "hook")
    cutter = CutAtCommit(proxied, link)
    async with http_client(proxied) as client:
        cutter.armed = True
        down = await client.post("/webhooks/hook", content=b"halo")
        link.restore()
        retries = [await client.post("/webhooks/hook", content=b"halo") for _ in range(2)]
    assert down.status_code == 503
    assert [r.status_code for r in retries] == [200, 200]
    assert await _count(database_url, InboundSeen) == 1
