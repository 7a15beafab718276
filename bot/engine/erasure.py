"""``HAPUS DATA``: explain what will be erased, ask ``YA`` / ``TIDAK``, then erase (UU PDP).

The question sits in ``context["erase_pending"]`` so the draft it interrupts
(its ``awaiting``) is untouched: ``TIDAK`` goes back to it. ``YA`` withdraws
consent and discards the draft; the service erases and answers.
"""

from __future__ import annotations

from typing import Protocol

from bot.core.render import Option
from bot.engine.commands import Command
from bot.engine.matching import pick, yes_or_no
from bot.engine.state import ConversationState
from bot.engine.turn import EraseData, Turn
from nlu.types import ParseResult

PENDING = "erase_pending"
_YES_NO = (Option("yes", "choice.yes"), Option("no", "choice.no"))


class _Asks(Protocol):
    state: ConversationState
    turn: Turn
    parse: ParseResult
    command: Command | None

    def say(
        self, key: str, params: dict[str, str] | None = None, options: tuple[Option, ...] = ()
    ) -> None: ...

    def reask(self) -> None: ...


def wanted(run: _Asks) -> bool:
    """Whether this message asks for erasure or answers the erasure question."""
    return run.command is Command.ERASE or bool(run.state.context.get(PENDING))


def handle(run: _Asks, text: str) -> None:
    state = run.state
    if run.command is Command.ERASE or not state.context.get(PENDING):
        state.context[PENDING] = True
        run.say("erase_confirm", options=_YES_NO)
        return
    answer = pick(text, state.choices)
    decision = yes_or_no(text, run.parse) if answer not in {"yes", "no"} else answer == "yes"
    if decision is None:
        run.say("erase_retry", options=_YES_NO)
        return
    state.context.pop(PENDING)
    if decision:
        state.reset_flow()
        state.consented, state.pending_text, state.awaiting = False, None, None
        state.context.clear()
        run.turn.effects.append(EraseData())
        return  # the service answers: it knows what was erased and what is held
    run.say("erase_kept")
    if state.flow or state.awaiting:
        run.reask()
