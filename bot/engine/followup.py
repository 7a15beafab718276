"""Answers to questions an officer's status change asked the reporter.

A push that says "resolved" sets ``context["feedback_ticket"]``; a request for
more information sets ``context["info_ticket"]``. The next message of an idle
conversation answers them.
"""

from __future__ import annotations

from typing import Protocol

from bot.core.render import Option
from bot.engine.matching import pick, yes_or_no
from bot.engine.state import ConversationState
from bot.engine.turn import Feedback, ReporterReply, Turn
from nlu.types import ParseResult

RATINGS = tuple(str(n) for n in range(1, 6))


class _Says(Protocol):
    state: ConversationState
    turn: Turn
    parse: ParseResult

    def say(
        self, key: str, params: dict[str, str] | None = None, options: tuple[Option, ...] = ()
    ) -> None: ...


def pending(state: ConversationState) -> bool:
    return state.flow is None and bool(
        state.context.get("feedback_ticket") or state.context.get("info_ticket")
    )


def answer(run: _Says, text: str) -> None:
    """Route the message to the open follow-up question."""
    context = run.state.context
    if context.get("info_ticket"):
        ticket = context.pop("info_ticket")
        run.turn.effects.append(ReporterReply(ticket, text))
        run.say("info_forwarded", {"ticket": ticket})
    elif run.state.awaiting == "rating":
        _rating(run, text)
    else:
        _fixed(run, text)


def ask_rating(run: _Says, retry: bool = False) -> None:
    run.state.awaiting = "rating"
    run.say(
        "retry_rating" if retry else "feedback_rating", options=tuple(Option(n, title=n) for n in RATINGS)
    )


def _fixed(run: _Says, text: str) -> None:
    ticket = run.state.context["feedback_ticket"]
    answer_word = pick(text, run.state.choices)
    fixed = yes_or_no(text, run.parse) if answer_word not in {"yes", "no"} else answer_word == "yes"
    if fixed is None:
        run.say("feedback_retry", {"ticket": ticket}, _YES_NO)
    elif fixed:
        ask_rating(run)
    else:
        run.state.context.pop("feedback_ticket")
        run.state.awaiting = None
        run.turn.effects.append(Feedback(ticket, fixed=False))
        run.say("feedback_reopened", {"ticket": ticket})


def _rating(run: _Says, text: str) -> None:
    word = text.strip().rstrip(".!")[:1] if text.strip()[:1].isdigit() else ""
    if word not in RATINGS:
        ask_rating(run, retry=True)
        return
    ticket = run.state.context.pop("feedback_ticket")
    run.state.awaiting = None
    run.turn.effects.append(Feedback(ticket, fixed=True, rating=int(word)))
    run.say("feedback_thanks", {"ticket": ticket})


_YES_NO = (Option("yes", "choice.yes"), Option("no", "choice.no"))
