"""``lapor chat``: the bot in a terminal, on the same database as the server."""

from __future__ import annotations

import asyncio
import contextlib

from bot.runtime.process import build_runtime
from bot.runtime.settings import Settings
from connectors.messages import Inbound, Outbound


def show(reply: Outbound) -> None:
    print(f"\nbot> {reply.text}")
    for number, choice in enumerate(reply.choices, 1):
        print(f"     [{number}] {choice.title}")


async def run_console(settings: Settings, sender: str) -> None:
    runtime = await build_runtime(settings)
    print("lapor-chat console. Type your message; Ctrl-D to leave.")
    try:
        while True:
            try:
                print("\nanda> ", end="", flush=True)
                line = await asyncio.to_thread(input)
            except EOFError:
                break
            inbound = Inbound(address=f"console:{sender}", text=line, received_at=runtime.clock())
            outcome = await runtime.conversations.handle(inbound)
            for reply in outcome.replies:
                show(reply)
    finally:
        with contextlib.suppress(Exception):
            await runtime.close()
