"""What the bot asks next, and how it asks it."""

from __future__ import annotations

import re
from typing import Any

from bot.core.render import Option, Renderer
from bot.engine.dates import format_date
from bot.engine.state import ConversationState
from connectors.messages import Ask
from dialogues.schema import Dialogue, Slot
from nlu.types import CATEGORIES

_SKIP = Option("lewati", "choice.skip")
_TITLE_PREFIX = {"kind": "kind", "identity": "identity"}
_SUMMARY_DESCRIPTION_LIMIT = 300


class Questions:
    """Asking mixin for the step: every prompt, retry and summary."""

    def __init__(self, dialogue: Dialogue, renderer: Renderer, state: ConversationState) -> None:
        self.dialogue = dialogue
        self.renderer = renderer
        self.state = state

    def say(self, key: str, params: dict[str, Any] | None = None, options: tuple[Option, ...] = ()) -> None:
        raise NotImplementedError

    def _offer(
        self,
        key: str,
        params: dict[str, Any] | None = None,
        options: tuple[Option, ...] = (),
        ask: Ask = Ask.NONE,
    ) -> None:
        reply = self.renderer.reply(key, params, options, ask)
        self.turn_replies().append(reply)
        self.state.choices = [[c.title, c.payload] for c in reply.choices]

    def turn_replies(self) -> list[Any]:
        raise NotImplementedError

    # -- the next question -----------------------------------------------------

    def advance(self) -> None:
        """Ask for the first missing slot, or show the summary."""
        state = self.state
        if "regions" in state.proposal and "location" not in state.slots:
            self.ask_region()
            return
        for slot in self.dialogue.slots:
            if slot.applies_to(state.channel, state.slots) and slot.name not in state.slots:
                self.ask(slot)
                return
        state.editing = False
        self.summary()

    def ask(self, slot: Slot) -> None:
        self.state.awaiting, self.state.attempts = slot.name, 0
        if slot.type == "category" and "category" in self.state.proposal:
            self._confirm_category(slot)
            return
        if slot.type == "category" and self.state.proposal.get("category_top"):
            self._offer(slot.ask, self._params(slot), self._top_categories())
            return
        self._offer(slot.ask, self._params(slot), self._options(slot), ask_kind(slot))

    def retry(self, slot: Slot) -> None:
        """Ask again differently: a hint, and the options once more."""
        self._offer(slot.retry, self._params(slot), self._options(slot), ask_kind(slot))

    def reask(self) -> None:
        """Repeat the pending question after an interruption (help, language)."""
        awaiting = self.state.awaiting
        if awaiting == "consent":
            self.ask_consent()
        elif awaiting == "confirm":
            self.summary()
        elif awaiting == "edit":
            self.ask_edit()
        elif awaiting == "region":
            self.ask_region()
        elif awaiting == "category_confirm":
            self._confirm_category(self.dialogue.slot("category"))
        elif awaiting and self.state.flow:
            self.ask(self.dialogue.slot(awaiting))

    def _params(self, slot: Slot) -> dict[str, Any]:
        return {k: v for k, v in slot.params.items() if isinstance(v, str | int)}

    def _options(self, slot: Slot) -> tuple[Option, ...]:
        if slot.type == "choice":
            prefix = _TITLE_PREFIX.get(slot.name, slot.name)
            return tuple(Option(o, f"{prefix}.{o}") for o in slot.options)
        if slot.type == "category":
            return tuple(Option(c, f"category.{c}") for c in CATEGORIES)
        if slot.optional:
            return (_SKIP,)
        return ()

    def _top_categories(self) -> tuple[Option, ...]:
        """The model's best three guesses, and "Lainnya" for the full list."""
        top = [Option(c, f"category.{c}") for c in self.state.proposal["category_top"][:3]]
        return (*top, Option("more", "choice.more_categories"))

    def ask_all_categories(self, slot: Slot) -> None:
        self.state.proposal.pop("category_top", None)
        self._offer(slot.ask, self._params(slot), self._options(slot))

    def _confirm_category(self, slot: Slot) -> None:
        self.state.awaiting = "category_confirm"
        ranking: list[str] = self.state.proposal["category"]
        name = self.renderer.word(f"category.{ranking[0]}")
        options = [Option("yes", "choice.yes")]
        options += [Option(c, f"category.{c}") for c in ranking[1:2]]
        options.append(Option("other", "choice.other_category"))
        self._offer(slot.confirm or slot.ask, {"category": name}, tuple(options))

    def ask_region(self) -> None:
        """Kota or Kabupaten X, one of several places, or the regencies suggested."""
        self.state.awaiting = "region"
        proposal = self.state.proposal
        regions = proposal["regions"]
        options = tuple(Option(r["code"], title=region_title(r)) for r in regions)
        key, name = "choose_region", proposal.get("region_name", "")
        if proposal.get("suggested"):
            key = "suggest_region_in" if name else "suggest_region"
        elif _kota_or_kabupaten(regions):
            key, name = "kota_or_kabupaten", _bare(regions[0]["name"])
            options = tuple(Option(r["code"], title=r["name"]) for r in regions)
        self._offer(key, {"name": name}, options)

    def ask_consent(self) -> None:
        self.state.awaiting = "consent"
        options = (Option("agree", "choice.agree"), Option("disagree", "choice.disagree"))
        self._offer("consent", options=options)

    def ask_edit(self) -> None:
        self.state.awaiting = "edit"
        fields = [
            f
            for f in self.dialogue.editable
            if self.dialogue.slot(f).applies_to(self.state.channel, self.state.slots)
        ]
        self._offer("choose_edit", options=tuple(Option(f, f"field.{f}") for f in fields))

    def menu_options(self) -> tuple[Option, ...]:
        return (
            Option("/lapor", "choice.report"),
            Option("/status", "choice.status"),
            Option("/bantuan", "choice.help"),
        )

    def menu(self) -> None:
        self._offer("menu", options=self.menu_options())

    # -- the summary -----------------------------------------------------------

    def summary(self) -> None:
        self.state.awaiting = "confirm"
        options = (
            Option("send", "choice.send"),
            Option("edit", "choice.edit"),
            Option("/batal", "choice.cancel"),
        )
        self._offer(self.dialogue.summary, self.summary_params(), options)

    def summary_params(self) -> dict[str, str]:
        slots, word = self.state.slots, self.renderer.word
        description = str(slots.get("description", ""))
        if len(description) > _SUMMARY_DESCRIPTION_LIMIT:
            description = description[: _SUMMARY_DESCRIPTION_LIMIT - 1] + "…"
        location, short = self._location_words(slots.get("location"))
        photos = int(self.state.context.get("photos", 0))
        return {
            "kind": word(f"kind.{slots.get('kind', 'complaint')}"),
            "category": word(f"category.{slots.get('category', 'other')}"),
            "description": description,
            "location": location,
            "location_short": short,
            "incident_date": self._date_words(slots.get("incident_date")),
            "photos": str(photos) if photos else word("value.none"),
            "identity": word(f"identity.{slots.get('identity', 'public')}"),
            "phone": str(slots.get("phone") or word("value.none")),
        }

    def _date_words(self, value: str | None) -> str:
        if not value:
            return self.renderer.word("value.skipped")
        from datetime import date

        return format_date(date.fromisoformat(value), self.renderer.language)

    def _location_words(self, value: dict[str, Any] | None) -> tuple[str, str]:
        if not value:
            none = self.renderer.word("value.none")
            return none, none
        region = value.get("region")
        region_name = region_title(region) if region else None
        if value.get("lat") is not None and not value.get("text"):
            shared = self.renderer.word(
                "value.shared_location",
                {"lat": f"{value['lat']:.5f}", "lon": f"{value['lon']:.5f}"},
            )
            return shared, shared
        text = str(value.get("text") or "")
        full = f"{text} ({region_name})" if region_name and region_name not in text else text
        return full, region_name or text[:40]


def ask_kind(slot: Slot) -> Ask:
    return {"location": Ask.LOCATION, "phone": Ask.CONTACT}.get(slot.type, Ask.NONE)


def region_title(region: dict[str, Any]) -> str:
    name = str(region.get("name", ""))
    if region.get("level") == "regency":
        return f"{name}, {region.get('province_name', '')}".strip(", ")
    return f"{name}, {region.get('regency_name') or ''}".strip(", ")


def _bare(name: str) -> str:
    return re.sub(r"^(Kabupaten|Kota)\s+", "", name)


def _kota_or_kabupaten(regions: list[dict[str, Any]]) -> bool:
    """Two regencies that share a name: "Kota atau Kabupaten Bogor?"."""
    if len(regions) != 2 or any(r.get("level") != "regency" for r in regions):
        return False
    return len({_bare(str(r["name"])) for r in regions}) == 1
