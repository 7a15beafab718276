"""A citizen using the Telegram app: types, taps buttons, shares places and photos.

Each action is an update shaped as Telegram sends it, delivered to the bot's
webhook by the fake Bot API; ``replies`` are the messages the bot then sent
through that API, read back from its records.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from typing import Any

from bot.intake.long_polling import Poller
from tests.connectors.telegram.e2e.conftest import TelegramBot
from tests.support.fakes.telegram_api import Call, callback_update, private_chat, text_update, user

_message_ids = itertools.count(10_000)
_update_ids = itertools.count(700_000_001)


@dataclass
class Sent:
    """One message the bot sent: its text and keyboard as Telegram received them."""

    text: str
    markup: dict[str, Any]
    message_id: int

    @property
    def buttons(self) -> dict[str, str]:
        """Inline buttons, title -> callback data."""
        rows = self.markup.get("inline_keyboard", [])
        return {b["text"]: b["callback_data"] for row in rows for b in row}

    @property
    def reply_buttons(self) -> list[dict[str, Any]]:
        return [button for row in self.markup.get("keyboard", []) for button in row]


@dataclass
class Citizen:
    """Talks over the webhook, or, given a ``poller``, through getUpdates."""

    bot: TelegramBot
    chat_id: int
    first_name: str = "Budi"
    poller: Poller | None = None
    seen: int = 0  # messages to this chat already returned as replies
    callbacks: list[str] = field(default_factory=list)

    def update(self, message: dict[str, Any]) -> dict[str, Any]:
        """A private-chat message update from this citizen (``message`` adds the content)."""
        base = {
            "message_id": next(_message_ids),
            "date": int(time.time()),
            "from": user(self.chat_id, self.first_name),
            "chat": private_chat(self.chat_id, self.first_name),
        }
        return {"update_id": next(_update_ids), "message": base | message}

    async def send(self, update: dict[str, Any]) -> list[Sent]:
        if self.poller is None:
            response = await self.bot.deliver(update)
            assert response.status_code == 200, response.text
        else:
            self.bot.api.push_update(update)
            await self.poller.run(rounds=1)
            await self.bot.runtime.dispatcher.drain()
        return self.replies()

    async def says(self, text: str) -> list[Sent]:
        update = text_update(self.chat_id, text, first_name=self.first_name)
        return await self.send({"update_id": next(_update_ids), **update})

    async def press(self, title: str) -> list[Sent]:
        """Tap the button ``title`` of the newest message that has inline buttons."""
        message = self.last_keyboard()
        assert title in message.buttons, f"no button {title!r} in {list(message.buttons)}"
        query_id = f"q{next(_update_ids)}"
        self.callbacks.append(query_id)
        update = callback_update(
            self.chat_id, message.buttons[title], message_id=message.message_id, query_id=query_id
        )
        return await self.send({"update_id": next(_update_ids), **update})

    async def shares_location(self, latitude: float, longitude: float) -> list[Sent]:
        return await self.send(self.update({"location": {"latitude": latitude, "longitude": longitude}}))

    async def shares_contact(self, phone: str, *, own: bool = True) -> list[Sent]:
        """Tap "share my number" (own) or forward someone else's contact card."""
        user_id = self.chat_id if own else self.chat_id + 1
        contact = {"phone_number": phone, "first_name": "Budi", "user_id": user_id}
        return await self.send(self.update({"contact": contact}))

    async def sends_photo(self, file_id: str, size: int, caption: str | None = None) -> list[Sent]:
        sizes = [{"file_id": file_id, "file_unique_id": f"u{file_id[-6:]}", "file_size": size}]
        photo: dict[str, Any] = {"photo": [sizes[0] | {"width": 640, "height": 480}]}
        if caption:
            photo["caption"] = caption
        return await self.send(self.update(photo))

    def sent(self) -> list[Sent]:
        """Every message the bot delivered to this chat, oldest first."""
        return [_sent(call) for call in self.bot.api.calls_to("sendMessage") if self._delivered(call)]

    def replies(self) -> list[Sent]:
        """Messages delivered since the last call."""
        everything = self.sent()
        new, self.seen = everything[self.seen :], len(everything)
        return new

    def last_keyboard(self) -> Sent:
        with_buttons = [message for message in self.sent() if message.buttons]
        assert with_buttons, "the bot has sent no inline keyboard"
        return with_buttons[-1]

    def _delivered(self, call: Call) -> bool:
        return call.status == 200 and call.chat_id == self.chat_id


def _sent(call: Call) -> Sent:
    return Sent(call.params["text"], call.params.get("reply_markup") or {}, call.result["message_id"])


# Names the place and the day: the bot then asks only for consent, a photo, identity and phone.
RICH_REPORT = (
    "Jalan rusak berlubang besar di depan Pasar Kosambi Kota Bandung sejak kemarin, sudah dua motor jatuh"
)


async def file_report(citizen: Citizen, *, typed: bool = False) -> list[Sent]:
    """Report ``RICH_REPORT`` to the end, tapping buttons (or typing the answers)."""
    answer = citizen.says if typed else citizen.press
    await citizen.says(RICH_REPORT)
    for title in ("Setuju", "Lewati", "Publik"):
        await answer(title)
    await citizen.says("Lewati")  # the phone question offers a reply keyboard, not inline buttons
    await answer("Kirim")
    return citizen.sent()
