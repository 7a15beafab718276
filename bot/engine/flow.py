"""``step``: one citizen message in, replies and effects out. Pure: no I/O, no clock."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from bot.core.render import Option, Renderer
from bot.core.workdays import due_dates
from bot.engine import erasure, followup
from bot.engine.commands import Command, detect
from bot.engine.dates import format_date, local_date
from bot.engine.matching import agreement_and_rest, mentioned, pick, yes_or_no
from bot.engine.places import Places, routable
from bot.engine.prefill import CATEGORY_SURE, prefill
from bot.engine.questions import ask_kind
from bot.engine.reading import describes, incident_date
from bot.engine.state import ConversationState
from bot.engine.turn import GiveConsent, StatusQuery, Submit, Turn, UserMessage
from connectors.phone import to_e164
from dialogues.schema import Dialogue, Slot
from dialogues.texts import Texts
from nlu.types import ParseResult

MAX_TEXT = 4000
_LANGUAGE_COMMANDS = {Command.ENGLISH, Command.INDONESIAN, Command.TOGGLE_LANGUAGE}


def step(
    dialogue: Dialogue,
    texts: Texts,
    state: ConversationState,
    message: UserMessage,
    parse: ParseResult,
    now: datetime,
    *,
    new_ids: tuple[str, str],
) -> Turn:
    """Advance ``state`` by one message.

    ``new_ids`` is a fresh (ticket, conversation id) pair the caller drew; the
    engine uses them only when it submits or starts a draft, so it stays pure.
    """
    run = _Step(dialogue, texts, ConversationState.from_dict(state.to_dict()), message, parse, now)
    run.ticket, run.new_conversation_id = new_ids
    run.go()
    run.state.updated_at = now.isoformat()
    return run.turn


class _Step(Places):
    def __init__(
        self,
        dialogue: Dialogue,
        texts: Texts,
        state: ConversationState,
        message: UserMessage,
        parse: ParseResult,
        now: datetime,
    ) -> None:
        super().__init__(dialogue, Renderer(texts, state.language, state.address), state)
        self.message = message
        self.parse = parse
        self.now = now
        self.turn = Turn(state=state)
        self.ticket = ""
        self.new_conversation_id = ""
        # A numbered or titled pick of an offered choice counts as its payload,
        # so "1" for "Lewati" skips, and a menu choice "/status" is a command.
        self.command = detect(pick(message.text, state.choices) or message.text, parse)

    def say(self, key: str, params: dict[str, Any] | None = None, options: tuple[Option, ...] = ()) -> None:
        self.turn.replies.append(self.renderer.reply(key, params, options))
        if options:
            self.state.choices = [
                [o.title or self.renderer.word(o.title_key or ""), o.payload] for o in options
            ]

    def turn_replies(self) -> list[Any]:
        return self.turn.replies

    def message_text(self) -> str:
        return self.message.text

    def go(self) -> None:
        if self.message.unsupported == "group":
            self.say("group_chat")
            return
        if not self._usable():
            return
        if erasure.wanted(self):
            erasure.handle(self, self.message.text)
        elif self.command in _LANGUAGE_COMMANDS:
            self._switch_language()
        elif not self.state.consented:
            self._consent()
        else:
            self._check_age()
            self._route()

    def _usable(self) -> bool:
        text, message = self.message.text, self.message
        if message.unsupported:
            self.say("unsupported")
        elif len(text) > MAX_TEXT:
            self.say("too_long", {"limit": MAX_TEXT})
        elif not text.strip() and not (
            message.location or message.contact or message.photos or message.photo_rejected
        ):
            self.say("empty_message")
        else:
            return True
        self.reask()
        return False

    def _switch_language(self) -> None:
        state = self.state
        if self.command is Command.TOGGLE_LANGUAGE:
            state.language = "en" if state.language == "id" else "id"
        else:
            state.language = "en" if self.command is Command.ENGLISH else "id"
        self.renderer.language = state.language
        self.say("language_set")
        self.reask()

    # -- consent -------------------------------------------------------------

    def _consent(self) -> None:
        state = self.state
        if state.awaiting != "consent":
            if self.parse.language == "en":
                state.language = self.renderer.language = "en"
            keep = self.command not in {Command.REPORT, Command.HELP} and self.parse.intent != "greet"
            state.pending_text = self.message.text if keep else None
            self.ask_consent()
            return
        answer = pick(self.message.text, state.choices)
        agreed = answer == "agree" or (answer is None and yes_or_no(self.message.text, self.parse))
        rest = agreement_and_rest(self.message.text) if not agreed else None
        if rest is not None:
            # "setuju, lokasinya di Purworejo": agreed, and the rest belongs to the report.
            state.pending_text = f"{state.pending_text}, {rest}" if state.pending_text else rest
            self._agree()
        elif agreed:
            self._agree()
        elif answer == "disagree" or yes_or_no(self.message.text, self.parse) is False:
            state.pending_text, state.awaiting = None, None
            self.say("consent_declined")
        else:
            if self.parse.category is not None or self.parse.intent == "report":
                # "/start", then the report itself: keep it for after consent.
                state.pending_text = self.message.text
            self.ask_consent()

    def _agree(self) -> None:
        state = self.state
        state.consented, state.awaiting = True, None
        self.turn.effects.append(GiveConsent())
        if state.pending_text:
            self.turn.replay, state.pending_text = state.pending_text, None
        else:
            self.start_flow(None)

    # -- routing -------------------------------------------------------------

    def _check_age(self) -> None:
        last = self.state.last_active()
        if self.state.flow is None or last is None:
            return
        idle = self.now - last
        if idle > timedelta(hours=self.dialogue.resume_within_hours):
            self.state.reset_flow()
            self.say("draft_expired")
        elif idle > timedelta(minutes=self.dialogue.welcome_back_after_minutes):
            self.say("welcome_back")

    def _route(self) -> None:
        command, state = self.command, self.state
        if command is Command.HELP:
            self.say("help")
            self.reask() if state.flow else self.menu()
        elif command is Command.CANCEL:
            self._cancel()
        elif command in {Command.RESTART, Command.REPORT}:
            if state.flow:
                self.say("restarted")
            self.start_flow(None)
        elif command is Command.STATUS or (self.parse.intent == "check_status" and not state.flow):
            self.turn.effects.append(StatusQuery(self.parse.ticket, _raw_ticket(self.message.text)))
        elif state.awaiting == "other_topic" and state.flow is None:
            self._other_topic()
        elif followup.pending(state):
            followup.answer(self, self.message.text)
        elif state.flow is None:
            self._idle()
        else:
            self._answer()

    def _cancel(self) -> None:
        if self.state.flow is None:
            self.say("nothing_to_cancel")
            return
        self.state.reset_flow()
        self.say("cancelled")

    def _idle(self) -> None:
        parse = self.parse
        filing = self.state.context.pop("filing_topic", None)
        if filing or parse.intent == "report" or parse.category or self.message.location:
            self.start_flow(self.message.text)
        elif parse.intent == "thanks":
            self.say("thanks_reply")
        elif parse.intent == "help":
            self.say("help")
        elif parse.intent == "cancel":
            self.say("nothing_to_cancel")
        elif parse.intent == "greet":
            self.menu()
        else:
            self.say("not_understood", options=self.menu_options())

    def start_flow(self, seed: str | None) -> None:
        state = self.state
        state.reset_flow()
        state.flow, state.conversation_id = self.dialogue.id, self.new_conversation_id
        state.started_at = self.now.isoformat()
        if seed is not None:
            description = self.dialogue.slot("description")
            # "I want to report a problem" is an intent, not a description: a
            # message that tells a problem, a wish or a question describes one.
            if describes(self.parse, seed, int(description.params.get("min_words", 1))):
                state.slots["description"] = seed
                state.slots["description_raw"] = self.message.original or seed
            prefill(state.slots, state.proposal, self.parse, seed)
            self._carry_over()
        self.advance()

    def _carry_over(self) -> None:
        """What a message filed alongside said: the place, and the other topic."""
        carried = self.state.context.pop("carry_location", None)
        if carried and "location" not in self.state.slots and "regions" not in self.state.proposal:
            self.state.slots["location"] = carried
        if self.parse.other_topic:
            self.state.context["other_topic"] = self.parse.other_topic

    def _other_topic(self) -> None:
        state = self.state
        topic = state.context.pop("other_topic", None)
        carried = state.context.pop("carry_location", None)
        state.awaiting = None
        answer = pick(self.message.text, state.choices)
        decision = yes_or_no(self.message.text, self.parse) if answer is None else answer == "yes"
        if decision and topic:
            state.context.update({"filing_topic": True, "carry_location": carried})
            self.turn.replay = topic
        elif decision is False:
            self.say("other_topic_dropped")
        else:
            self._route()

    # -- answers -------------------------------------------------------------

    def _answer(self) -> None:
        awaiting = self.state.awaiting
        handlers = {
            "category_confirm": self._category_confirm,
            "region": self.answer_region,
            "confirm": self._confirm,
            "edit": self._edit,
        }
        if awaiting in handlers:
            handlers[awaiting]()
        elif awaiting is not None:
            self._fill(self.dialogue.slot(awaiting))
        else:
            self.advance()

    def _fill(self, slot: Slot) -> None:
        taken = self._take_others(slot.name) if slot.name != "description" else False
        value = getattr(self, f"_read_{slot.type}")(slot)
        if value is _RETRY and taken:
            # It answered another question: keep that, ask this one again briefly.
            self.advance() if "regions" in self.state.proposal else self._again(slot)
            return
        if value is _RETRY:
            self.state.attempts += 1
            self.retry(slot)
            return
        if value is _HOLD:
            return
        if value is not _WAIT:
            self.state.slots[slot.name] = value
        if value is not _WAIT and slot.name == "description":
            self.state.slots["description_raw"] = self.message.original or value
            prefill(self.state.slots, self.state.proposal, self.parse, self.message.text)
        self.advance()

    def _take_others(self, awaiting: str) -> bool:
        """Fill the other empty slots this answer names (place, date, category)."""
        taken = [
            awaiting != "location" and self._take_place(),
            awaiting != "incident_date" and self._take_date(),
            awaiting not in ("category", "category_confirm") and self._take_category(),
        ]
        return any(taken)

    def _take_place(self) -> bool:
        state, text = self.state, self.message.text
        if "location" in state.slots or "regions" in state.proposal:
            return False
        place = self.read_place(text)
        if place is not None:
            state.slots["location"] = place
            return True
        if text and any(r.level != "province" for r in self.parse.regions):
            return self.offer_places(text) and "regions" in state.proposal
        return False

    def _take_date(self) -> bool:
        day = incident_date(self.parse)
        if "incident_date" in self.state.slots or day is None or day > local_date(self.now):
            return False
        self.state.slots["incident_date"] = day.isoformat()
        return True

    def _take_category(self) -> bool:
        slots, parse = self.state.slots, self.parse
        if "category" in slots or "description" not in slots or parse.category is None:
            return False
        if parse.category_confidence < CATEGORY_SURE:
            return False
        slots["category"] = parse.category
        return True

    def _again(self, slot: Slot) -> None:
        """Ask the pending question once more, in one short line."""
        key = str(slot.params.get("again") or slot.retry)
        self._offer(key, self._params(slot), self._options(slot), ask_kind(slot))

    def _read_text(self, slot: Slot) -> object:
        minimum = int(slot.params.get("min_words", 1))
        return self.message.text.strip() if _words(self.message.text) >= minimum else _RETRY

    def _read_choice(self, slot: Slot) -> object:
        answer = pick(self.message.text, self.state.choices) or mentioned(
            self.message.text, self.state.choices
        )
        return answer if answer in slot.options else _RETRY

    def _read_category(self, slot: Slot) -> object:
        answer = pick(self.message.text, self.state.choices)
        if answer == "more":
            self.ask_all_categories(slot)
            return _HOLD
        if answer is None and self.parse.category and self.parse.category_confidence >= CATEGORY_SURE:
            return self.parse.category  # typed the topic: "jalan rusak"
        return answer if answer and answer != "other" else _RETRY

    def _read_location(self, slot: Slot) -> object:
        shared, text = self.message.location, self.message.text.strip()
        if shared:
            point = {"text": shared.address, "lat": shared.latitude, "lon": shared.longitude}
            found = self.read_place(shared.address or "") if shared.address else None
            if found is None:
                self.keep_point(point)
                return _HOLD
            found.update(lat=shared.latitude, lon=shared.longitude)
            return found
        found = self.read_place(text)
        if found:
            return found
        if self.offer_places(text):
            return _WAIT if "regions" in self.state.proposal else _HOLD
        self.keep_words(text)
        return _RETRY

    def _read_date(self, slot: Slot) -> object:
        if self.command is Command.SKIP:
            return None
        found = self.parse.incident_date
        if found is None or found > local_date(self.now):
            return _RETRY
        return found.isoformat()

    def _read_phone(self, slot: Slot) -> object:
        contact, typed = self.message.contact, self.parse.entity("phone")
        if contact is not None:
            if not contact.is_own:
                self.say("phone_not_own")
                return _HOLD
            return _e164(contact.phone)
        if typed is not None:
            return typed.value
        return None if self.command is Command.SKIP else _RETRY

    def _read_photo(self, slot: Slot) -> object:
        count = int(self.state.context.get("photos", 0)) + self.message.photos
        if self.message.photos:
            self.state.context["photos"] = count
            self.say("photo_received", {"count": count})
            return count
        if self.message.photo_rejected:
            self.say("photo_rejected")
            return _HOLD
        return 0 if self.command is Command.SKIP else _RETRY

    def _category_confirm(self) -> None:
        taken = self._take_others("category_confirm")
        proposed = self.state.proposal.pop("category", [])
        answer = pick(self.message.text, self.state.choices)
        decision = yes_or_no(self.message.text, self.parse) if answer is None else None
        if answer == "yes" or decision:
            self.state.slots["category"] = proposed[0]
        elif answer and answer != "other":
            self.state.slots["category"] = answer
        elif answer is None and decision is None:
            # Not an answer to this question: what it says (a place, a date) was
            # kept above; ask again, still offering the proposal.
            self.state.proposal["category"] = proposed
            if not taken:
                self.say("retry_choice")
        self.advance()

    def _confirm(self) -> None:
        answer = pick(self.message.text, self.state.choices)
        decision = yes_or_no(self.message.text, self.parse) if answer is None else answer == "send"
        if decision and not routable(self.state.slots.get("location")):
            # Never filed without a kabupaten/kota: no agency could be found for it.
            self.state.slots.pop("location", None)
            self.say("need_regency")
            self.advance()
        elif decision:
            self._submit()
        elif decision is False or answer == "edit":
            self.ask_edit()
        else:
            self.say("retry_choice")
            self.summary()

    def _edit(self) -> None:
        answer = pick(self.message.text, self.state.choices)
        if answer not in self.dialogue.editable:
            self.say("retry_choice")
            self.ask_edit()
            return
        self.state.slots.pop(answer, None)
        if answer == "photo":
            self.state.context.pop("photos", None)
        self.state.editing = True
        self.advance()

    def _submit(self) -> None:
        state = self.state
        slots = {k: v for k, v in state.slots.items()}
        slots["photo"] = int(state.context.get("photos", 0))
        assert state.conversation_id is not None
        self.turn.effects.append(Submit(state.conversation_id, self.ticket, slots, state.language))
        verify = due_dates(local_date(self.now)).verify
        self.say("submitted", {"ticket": self.ticket, "verify_due": _day(verify, state.language)})
        state.reset_flow()
        state.context.pop("photos", None)
        topic = state.context.get("other_topic")
        if topic:
            state.context["carry_location"] = slots.get("location")
            self._offer("offer_other_topic", {"topic": _short(str(topic))}, _YES_NO)
            state.awaiting = "other_topic"


class _Marker:
    pass


_RETRY = _Marker()
_WAIT = _Marker()  # a follow-up question (region choice) is pending
_HOLD = _Marker()  # already answered; keep waiting for this slot


_YES_NO = (Option("yes", "choice.file_other"), Option("no", "choice.no_thanks"))


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _e164(phone: str) -> str:
    try:
        return to_e164(phone)
    except ValueError:
        return phone[:32]


def _words(text: str) -> int:
    return len(text.split())


def _day(day: date, language: str) -> str:
    return format_date(day, language)


def _raw_ticket(text: str) -> str | None:
    """What looks like a ticket the citizen typed ("status LPR-12AB"), even if invalid."""
    last = text.rsplit(maxsplit=1)[-1] if text.strip() else ""
    return last[:20] if len(last) >= 6 and any(ch.isdigit() for ch in last) else None
