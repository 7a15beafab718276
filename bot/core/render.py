"""Turn a text key, parameters and choices into a channel-neutral Outbound."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from connectors.messages import Ask, Choice, Outbound
from dialogues.texts import Texts


@dataclass(frozen=True, slots=True)
class Option:
    """A choice to offer: its payload, and a text key or a literal title."""

    payload: str
    title_key: str | None = None
    title: str | None = None


class Renderer:
    """Renders replies in one language for one address."""

    def __init__(self, texts: Texts, language: str, address: str) -> None:
        self.texts = texts
        self.language = language
        self.address = address

    def word(self, key: str, params: dict[str, Any] | None = None) -> str:
        return self.texts.render(key, self.language, params)

    def reply(
        self,
        key: str,
        params: dict[str, Any] | None = None,
        options: tuple[Option, ...] = (),
        ask: Ask = Ask.NONE,
    ) -> Outbound:
        choices = tuple(Choice(title=self._title(o), payload=o.payload) for o in options)
        return Outbound(
            address=self.address,
            text=self.texts.render(key, self.language, params),
            short_text=self.texts.render_sms(key, self.language, params),
            choices=choices,
            ask=ask,
            key=key,
            language=self.language,
        )

    def _title(self, option: Option) -> str:
        if option.title is not None:
            return option.title
        return self.word(option.title_key or option.payload)
