"""Map one Telegram ``Update`` to ``Inbound`` messages, for webhooks and long polling.

Pure: no network, no database; the clock is read only for callback queries,
which carry no date (pass ``now`` to make that deterministic too).

Decisions, each made so that the engine never answers the wrong thing:

- Edited messages yield nothing. The engine already answered the original;
  replaying an edit as a new turn would answer the current question with a
  corrected answer to an older one. The original stays the evidence, and the
  citizen corrects a report at the confirmation step.
- Channel posts yield nothing: answering would publish in the channel.
- Messages in groups and supergroups become ``unsupported="group"`` with empty
  text and no name, so the engine asks the person to write to the bot directly
  and nobody's group chatter is stored.
- Voice, stickers, video, polls... become ``unsupported=<kind>`` with empty text,
  so the engine can ask the citizen to type instead.
- Service messages (pins, members joining...) and other update kinds
  (``my_chat_member`` such as the citizen blocking the bot, inline queries...)
  yield nothing: acknowledged, nothing to do.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from telegram import CallbackQuery, Chat, Message, Update
from telegram import Location as TelegramLocation

from connectors.messages import Contact, Inbound, Location, Media

SCHEME = "telegram"
GROUP_CHATS = frozenset({Chat.GROUP, Chat.SUPERGROUP, Chat.CHANNEL})
# Checked in this order: an animation also carries a ``document`` for old
# clients, so it must be recognised before documents are.
UNSUPPORTED_KINDS = (
    "animation",
    "voice",
    "video_note",
    "video",
    "audio",
    "sticker",
    "poll",
    "dice",
    "game",
    "story",
    "paid_media",
    "live_photo",
    "checklist",
    "invoice",
)
PHOTO_TYPE = "image/jpeg"  # Telegram re-encodes every photo it stores as JPEG
UNKNOWN_TYPE = "application/octet-stream"
_BOT_SUFFIX = re.compile(r"^(/[A-Za-z0-9_]+)@[A-Za-z0-9_]+(?=\s|$)")


class NotAnUpdate(ValueError):
    """The payload is not a Telegram ``Update`` (the webhook answers 400)."""


def parse_update(data: Mapping[str, Any], *, now: datetime | None = None) -> list[Inbound]:
    """Map a raw update dict (as Telegram sent it) to zero or one ``Inbound``.

    ``data`` is not modified. Raises ``NotAnUpdate`` when it is not an update.
    """
    update = _load_update(data)
    try:
        if update.message is not None:
            return _from_message(update.update_id, update.message)
        if update.callback_query is not None:
            received_at = now or datetime.now(UTC)
            return _from_callback(update.update_id, update.callback_query, received_at)
    except (TypeError, ValueError, AttributeError) as exc:  # fields of the wrong type
        raise NotAnUpdate(f"malformed update ({type(exc).__name__})") from exc
    return []


def _load_update(data: Mapping[str, Any]) -> Update:
    """Parse ``data`` with python-telegram-bot's types; raise ``NotAnUpdate``."""
    if not isinstance(data, Mapping) or type(data.get("update_id")) is not int:
        raise NotAnUpdate("not a Telegram update")
    try:
        # de_json may rewrite nested dicts; the caller keeps the raw update.
        return Update.de_json(copy.deepcopy(dict(data)), None)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise NotAnUpdate(f"malformed update ({type(exc).__name__})") from exc


def address_of(chat_id: int) -> str:
    if type(chat_id) is not int:
        raise TypeError("chat id is not an integer")
    return f"{SCHEME}:{chat_id}"


def _from_message(update_id: int, message: Message) -> list[Inbound]:
    address = address_of(message.chat.id)
    external_id = str(update_id)
    kind = _unsupported_kind(message)
    text = _text(message)
    media, location, contact = _media(message), _location(message), _contact(message)
    if kind is None and not (text or media or location or contact):
        return []  # a service message: pinned, title changed, member joined...
    if message.chat.type in GROUP_CHATS:
        return [Inbound(address, "", message.date, external_id, unsupported="group")]
    name = message.from_user.first_name if message.from_user else None
    if kind is not None:
        return [Inbound(address, "", message.date, external_id, display_name=name, unsupported=kind)]
    inbound = Inbound(
        address,
        text,
        message.date,
        external_id,
        media=media,
        location=location,
        contact=contact,
        display_name=name,
    )
    return [inbound]


def _from_callback(update_id: int, query: CallbackQuery, received_at: datetime) -> list[Inbound]:
    chat = query.message.chat if query.message is not None else None
    address = address_of(chat.id if chat is not None else query.from_user.id)
    external_id = str(update_id)
    if chat is not None and chat.type in GROUP_CHATS:
        return [Inbound(address, "", received_at, external_id, unsupported="group")]
    return [
        Inbound(
            address,
            query.data or "",
            received_at,
            external_id,
            display_name=query.from_user.first_name,
            callback_id=query.id,
        )
    ]


def _unsupported_kind(message: Message) -> str | None:
    for kind in UNSUPPORTED_KINDS:
        if getattr(message, kind, None):
            return kind
    return None


def _text(message: Message) -> str:
    """The text, or a photo's or document's caption; a command loses its ``@botname``."""
    text = message.text if message.text is not None else message.caption or ""
    if not isinstance(text, str):
        raise TypeError("text is not a string")
    # "/lapor@LaporBot rusak" -> "/lapor rusak": in groups, commands name the bot.
    return _BOT_SUFFIX.sub(r"\1", text, count=1) if message.text is not None else text


def _media(message: Message) -> tuple[Media, ...]:
    if message.photo:
        largest = max(message.photo, key=lambda p: (p.width * p.height, p.file_size or 0))
        return (Media(PHOTO_TYPE, provider_id=largest.file_id, size=largest.file_size),)
    document = message.document
    if document is not None:
        media = Media(
            document.mime_type or UNKNOWN_TYPE,
            filename=document.file_name,
            provider_id=document.file_id,
            size=document.file_size,
        )
        return (media,)
    return ()


def _location(message: Message) -> Location | None:
    venue = message.venue
    if venue is not None:
        place = ", ".join(part for part in (venue.title, venue.address) if part)
        return _coordinates(venue.location, place or None)
    if message.location is not None:
        return _coordinates(message.location, None)
    return None


def _coordinates(shared: TelegramLocation, address: str | None) -> Location:
    return Location(float(shared.latitude), float(shared.longitude), address)


def _contact(message: Message) -> Contact | None:
    shared = message.contact
    if shared is None:
        return None
    sender = message.from_user
    is_own = shared.user_id is not None and sender is not None and shared.user_id == sender.id
    name = " ".join(part for part in (shared.first_name, shared.last_name) if part) or None
    return Contact(shared.phone_number, name, is_own)
