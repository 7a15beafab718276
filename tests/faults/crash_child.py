"""A bot process for the SIGKILL test: ``python -m tests.faults.crash_child MODE DB STATE SENT``.

``crash``: a citizen's message is committed (its reply in the outbox) and an
officer's push is committed, then the process kills itself with SIGKILL before
anything is sent. ``restart``: the provider delivers the unacknowledged message
again, and the worker sends what is due. The "provider" appends each message it
is asked to send to the file SENT, one line each.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.delivery.outbox_payload import to_payload
from bot.runtime.process import build_runtime
from bot.runtime.settings import load_settings
from connectors.base import WebhookRequest, WebhookResponse
from connectors.messages import Inbound, Outbound, Receipt, SendOutcome, SendResult
from storage import outbox

ADDRESS = "file:1"


class FileProvider:
    name = "file"
    schemes: tuple[str, ...] = ("file",)

    def __init__(self, path: Path) -> None:
        self.path = path

    def parse(self, request: WebhookRequest) -> list[Inbound | Receipt]:
        return []

    def acknowledge(self, items: list[Inbound | Receipt]) -> WebhookResponse:
        return WebhookResponse()

    async def send(self, outbound: Outbound) -> SendResult:
        with self.path.open("a") as sent:
            sent.write(f"{outbound.key}\n")
        return SendResult(SendOutcome.SENT, (f"f{os.getpid()}",))

    async def aclose(self) -> None:
        return None


async def main(mode: str, database_url: str, state_path: str, sent: str) -> None:
    settings = load_settings(database_url=database_url, state_path=Path(state_path))
    runtime = await build_runtime(settings, migrate=False)
    runtime.channels.add(FileProvider(Path(sent)), "file")
    message = Inbound(address=ADDRESS, text="halo", external_id="upd-1", received_at=datetime.now(UTC))
    outcome = await runtime.conversations.handle(message)
    if mode == "crash":
        push = Outbound(address=ADDRESS, text="Status laporan Anda berubah.", key="push_status")
        async with runtime.sessions.begin() as session:  # as an officer's action does
            outbox.enqueue(
                session,
                address=ADDRESS,
                channel="file",
                payload=to_payload(push),
                now=runtime.clock(),
                kind="push",
            )
        print(f"committed {outcome.outbox_ids}", flush=True)
        os.kill(os.getpid(), signal.SIGKILL)  # after commit, before send_soon
    print(f"duplicate={outcome.duplicate}", flush=True)
    while await runtime.dispatcher.run_once():
        pass
    await runtime.close()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:5]))
