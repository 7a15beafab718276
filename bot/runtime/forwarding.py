"""Forwarding through the outbox, and pulling status changes back.

* **Written with the complaint.** A session hook inserts one outbox row
  (``upstream:<ticket>``, kind ``forward``) right after the flush that inserts
  a complaint, on the same connection and transaction, whichever path filed
  it (chat, Open311): the two commit or roll back together.
* **Sent by the one dispatcher.** ``ForwardConnector`` is the outbox
  connector for the ``upstream`` scheme: retried with backoff on timeouts and
  5xx, failed on a refusal, dead-lettered after ``MAX_ATTEMPTS`` (visible on
  the dashboard's failures page). A complaint already linked is never sent
  again, and our ticket travels as the upstream's reference for a resend
  after a timeout.
* **Pulled back through the officer service.** ``pull_once`` asks the
  upstream about open complaints; a new status becomes our status change
  (history, audit, push to the reporter) by the system principal; the link
  remembers the status it applied, so a repeated answer changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import event, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.delivery.outbox_payload import to_payload
from bot.officers import lifecycle
from bot.officers.actions import change_status
from bot.officers.auth import SYSTEM
from bot.officers.service import ActionError, Services
from bot.openness.upstream.base import ForwardRecord, Identity, Submitted, Upstream, UpstreamError, split_name
from bot.openness.upstream.lapor_stream import LaporStream
from bot.openness.upstream.open311_client import Open311Upstream
from bot.runtime.settings import Settings
from connectors.base import WebhookRequest, WebhookResponse
from connectors.messages import Inbound, Outbound, Receipt, SendOutcome, SendResult
from storage import outbox
from storage.models import Agency, Complaint, OutboxMessage, Reporter
from storage.openness_models import UpstreamLink

log = logging.getLogger("lapor.upstream")
SCHEME = "upstream"
KIND = "forward"


def build_upstream(settings: Settings) -> Upstream | None:
    """The adapter this deployment forwards to, or None (``LAPOR_UPSTREAM_KIND=none``)."""
    if settings.upstream_kind == "none":
        return None
    if not settings.upstream_url or not settings.upstream_token:
        raise ValueError("LAPOR_UPSTREAM_URL and LAPOR_UPSTREAM_TOKEN are required with LAPOR_UPSTREAM_KIND")
    timeout = settings.upstream_timeout_seconds
    if settings.upstream_kind == "lapor":
        return LaporStream(settings.upstream_url, settings.upstream_token, timeout)
    return Open311Upstream(
        settings.upstream_url, settings.upstream_token, timeout, settings.upstream_service_code
    )


def forward_row(ticket: str, complaint_id: int | None, now: datetime) -> dict[str, Any]:
    address = f"{SCHEME}:{ticket}"
    payload = to_payload(Outbound(address=address, text=f"forward {ticket}"))
    return outbox.row(
        address=address, channel=SCHEME, payload=payload, now=now, kind=KIND, complaint_id=complaint_id
    )


def enqueue_inserted(session: Session) -> None:
    """``after_flush``: one forward row for every complaint this flush inserted, on its connection."""
    rows = [forward_row(c.ticket, c.id, c.created_at) for c in session.new if isinstance(c, Complaint)]
    if rows:
        session.connection().execute(insert(OutboxMessage), rows)


def watch(engine_key: object) -> Callable[[Session, object], None]:
    """The hook, limited to sessions bound to this runtime's engine."""

    def hook(session: Session, _context: object) -> None:
        bind = session.get_bind()
        if getattr(bind, "engine", bind) is engine_key:
            enqueue_inserted(session)

    return hook


async def record_for(session: Any, complaint: Complaint) -> ForwardRecord:
    reporter = await session.get(Reporter, complaint.reporter_id)
    agency = await session.get(Agency, complaint.agency_id) if complaint.agency_id else None
    identity = None
    if reporter is not None and not complaint.anonymous:
        first, last = split_name(reporter.display_name)
        identity = Identity(first, last, reporter.phone or "", "")
    return ForwardRecord(
        ticket=complaint.ticket, kind=complaint.kind, category=complaint.category, title=complaint.title,
        description=complaint.description, location=complaint.location_text or "",
        regency_code=complaint.regency_code, regency=complaint.regency_name, lat=complaint.latitude,
        long=complaint.longitude, incident_date=complaint.incident_date,
        agency_code=agency.code if agency else None, confidential=complaint.confidential,
        anonymous=complaint.anonymous, reporter=identity,
    )  # fmt: skip


class ForwardConnector:
    """The outbox's connector for ``upstream:<ticket>`` rows."""

    name = "upstream"
    schemes: tuple[str, ...] = (SCHEME,)

    def __init__(self, upstream: Upstream, deps: Services) -> None:
        self.upstream = upstream
        self.deps = deps
        self.hook: Callable[[Session, object], None] | None = None

    def parse(self, request: WebhookRequest) -> list[Inbound | Receipt]:
        return []

    def acknowledge(self, items: list[Inbound | Receipt]) -> WebhookResponse:
        return WebhookResponse()

    async def send(self, outbound: Outbound) -> SendResult:
        ticket = outbound.address.removeprefix(f"{SCHEME}:")
        async with self.deps.sessions() as session:
            complaint = await session.scalar(select(Complaint).where(Complaint.ticket == ticket))
            if complaint is None:
                return SendResult(SendOutcome.FAILED, error="no such complaint")
            linked = await session.get(UpstreamLink, complaint.id)
            if linked is not None:  # sent before (a lost mark, a replayed row): never twice
                return SendResult(SendOutcome.SENT, provider_message_ids=(linked.upstream_id,))
            record = await record_for(session, complaint)
            complaint_id = complaint.id
        try:
            submitted = await self.upstream.submit(record)
        except UpstreamError as exc:
            log.warning("forwarding %s failed: %s", ticket, exc)
            return SendResult(SendOutcome.RETRY if exc.retry else SendOutcome.FAILED, error=str(exc))
        await self._link(complaint_id, submitted)
        return SendResult(SendOutcome.SENT, provider_message_ids=(submitted.upstream_id,))

    async def _link(self, complaint_id: int, submitted: Submitted) -> None:
        try:
            async with self.deps.sessions.begin() as session:
                session.add(
                    UpstreamLink(
                        complaint_id=complaint_id, system=self.upstream.system,
                        upstream_id=submitted.upstream_id, transaction_id=submitted.transaction_id,
                        created_at=self.deps.clock(),
                    )
                )  # fmt: skip
        except IntegrityError:
            log.info("complaint %d was linked by another sender", complaint_id)

    async def aclose(self) -> None:
        if self.hook is not None and event.contains(Session, "after_flush", self.hook):
            event.remove(Session, "after_flush", self.hook)
        await self.upstream.aclose()


async def pull_once(deps: Services, upstream: Upstream) -> int:
    """Apply the upstream's status changes to open linked complaints; how many changed."""
    async with deps.sessions() as session:
        rows = (
            await session.execute(
                select(UpstreamLink.upstream_id, UpstreamLink.last_status, Complaint.ticket)
                .join(Complaint, Complaint.id == UpstreamLink.complaint_id)
                .where(UpstreamLink.system == upstream.system, Complaint.status.in_(sorted(lifecycle.OPEN)))
            )
        ).all()
    known = {upstream_id: (last, ticket) for upstream_id, last, ticket in rows}
    if not known:
        return 0
    changed = 0
    for news in await upstream.pull(list(known)):
        last, ticket = known.get(news.upstream_id, (None, None))
        if ticket is None or not news.status or news.status == last:
            continue
        if await _apply(deps, ticket, news.status, news.note):
            changed += 1
        await _remember(deps, news.upstream_id, upstream.system, news.status, news.note)
    return changed


async def _apply(deps: Services, ticket: str, status: str, note: str) -> bool:
    try:
        await change_status(deps, SYSTEM, ticket, status, note or None, "status dari sistem hulu / upstream",
                            "bukan_wewenang" if status == "rejected" else None)  # fmt: skip
    except ActionError as exc:  # already there, or not a legal move from where we are
        log.info("upstream status %s for %s not applied: %s", status, ticket, exc)
        return False
    return True


async def _remember(deps: Services, upstream_id: str, system: str, status: str, note: str) -> None:
    async with deps.sessions.begin() as session:
        link = await session.scalar(
            select(UpstreamLink).where(UpstreamLink.system == system, UpstreamLink.upstream_id == upstream_id)
        )
        if link is not None:
            link.last_status, link.last_note, link.pulled_at = status, note or None, deps.clock()


class PullJob:
    """Runs ``pull_once`` at most every ``every``, across all workers (one claim per slot)."""

    def __init__(self, deps: Services, upstream: Upstream, every: timedelta) -> None:
        self.deps, self.upstream, self.every = deps, upstream, every
        self._next: datetime | None = None

    async def __call__(self) -> None:
        now = self.deps.clock()
        if self._next is not None and now < self._next:
            return
        self._next = now + self.every
        slot = int(now.timestamp() // self.every.total_seconds())
        if await self.deps.state.claim(f"upstream-pull:{slot}", self.every.total_seconds() * 2):
            try:
                await pull_once(self.deps, self.upstream)
            except UpstreamError as exc:
                log.warning("pulling from upstream failed: %s", exc)


def chain(
    first: Callable[[], Awaitable[None]] | None, second: Callable[[], Awaitable[None]]
) -> Callable[[], Awaitable[None]]:
    async def both() -> None:
        if first is not None:
            await first()
        await second()

    return both


def install(runtime: Any, upstream: Upstream | None = None) -> ForwardConnector | None:
    """Wire forwarding into a runtime: the outbox connector, the insert hook, the pull job."""
    chosen = upstream or build_upstream(runtime.settings)
    if chosen is None:
        return None
    connector = ForwardConnector(chosen, runtime)
    runtime.channels.by_scheme[SCHEME] = connector
    connector.hook = watch(runtime.db.sync_engine)
    event.listen(Session, "after_flush", connector.hook)
    job = PullJob(runtime, chosen, timedelta(seconds=runtime.settings.upstream_pull_seconds))
    runtime.dispatcher.housekeeping = chain(runtime.dispatcher.housekeeping, job)
    return connector
