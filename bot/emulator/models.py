"""The emulator's records: users, chats, forum topics, messages and callback answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.emulator.text import Entity

PRIVATE, GROUP, SUPERGROUP, CHANNEL = "private", "group", "supergroup", "channel"


@dataclass
class User:
    id: int
    first_name: str
    username: str | None = None
    last_name: str | None = None
    language_code: str | None = "en"
    is_bot: bool = False
    deactivated: bool = False

    def to_api(self) -> dict[str, Any]:
        body: dict[str, Any] = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            value = getattr(self, key)
            if value is not None:
                body[key] = value
        return body


@dataclass
class Topic:
    message_thread_id: int
    name: str
    icon_color: int = 0x6FB9F0
    closed: bool = False
    deleted: bool = False


@dataclass
class Chat:
    """A chat; `bot_status` is the bot's ChatMember status there ("kicked" = blocked)."""

    id: int
    type: str
    title: str | None = None
    username: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    is_forum: bool = False
    bot_status: str = "member"
    migrated_to: int | None = None
    topics: dict[int, Topic] = field(default_factory=dict)
    members: dict[int, str] = field(default_factory=dict)
    next_message_id: int = 1

    def to_api(self) -> dict[str, Any]:
        body: dict[str, Any] = {"id": self.id, "type": self.type}
        for key in ("title", "username", "first_name", "last_name"):
            value = getattr(self, key)
            if value is not None:
                body[key] = value
        if self.is_forum:
            body["is_forum"] = True
        return body

    def to_full_api(self) -> dict[str, Any]:
        body = self.to_api()
        body.update(
            accent_color_id=0,
            max_reaction_count=11,
            accepted_gift_types={
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        )
        return body

    @property
    def is_group_like(self) -> bool:
        return self.type in (GROUP, SUPERGROUP)

    def take_message_id(self) -> int:
        message_id = self.next_message_id
        self.next_message_id += 1
        return message_id


@dataclass
class Revision:
    """An earlier version of an edited bot message."""

    text: str
    entities: list[Entity]
    reply_markup: dict[str, Any] | None
    date: int


@dataclass
class Photo:
    """An uploaded picture, kept whole so tests can look at it; Telegram's ids are derived."""

    file_id: str
    file_unique_id: str
    width: int
    height: int
    data: bytes = field(repr=False)

    def to_api(self) -> dict[str, Any]:
        """A PhotoSize (one size only: the emulator makes no thumbnails)."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "width": self.width,
            "height": self.height,
            "file_size": len(self.data),
        }


@dataclass
class ChatMessage:
    """A message in a chat; bot messages also keep what the bot sent (`raw_text`, parse_mode).

    A photo message has `photo` and perhaps a `caption` (`raw_text` is then the caption as sent).
    """

    chat_id: int
    message_id: int
    date: int
    sender_id: int | None
    text: str | None = None
    entities: list[Entity] = field(default_factory=list)
    reply_markup: dict[str, Any] | None = None
    message_thread_id: int | None = None
    reply_to_message_id: int | None = None
    from_bot: bool = False
    raw_text: str | None = None
    parse_mode: str | None = None
    link_preview_options: dict[str, Any] | None = None
    disable_notification: bool = False
    allow_paid_broadcast: bool = False
    edit_date: int | None = None
    deleted: bool = False
    history: list[Revision] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    photo: Photo | None = None
    caption: str | None = None
    caption_entities: list[Entity] = field(default_factory=list)

    @property
    def callback_data(self) -> list[str]:
        """Every callback_data of the current inline keyboard, row by row."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [b["callback_data"] for row in rows for b in row if "callback_data" in b]

    def summary(self) -> dict[str, Any]:
        """The recorded state a test reads (JSON-friendly, used by the control API)."""
        return {
            "chat_id": self.chat_id,
            "message_id": self.message_id,
            "message_thread_id": self.message_thread_id,
            "text": self.text,
            "raw_text": self.raw_text,
            "parse_mode": self.parse_mode,
            "entities": [e.to_api() for e in self.entities],
            "reply_markup": self.reply_markup,
            "link_preview_options": self.link_preview_options,
            "reply_to_message_id": self.reply_to_message_id,
            "date": self.date,
            "edit_date": self.edit_date,
            "deleted": self.deleted,
            "edits": len(self.history),
            "from_bot": self.from_bot,
            "photo": None if self.photo is None else self.photo.to_api(),
            "caption": self.caption,
            "caption_entities": [e.to_api() for e in self.caption_entities],
        }


@dataclass
class CallbackAnswer:
    callback_query_id: str
    text: str | None
    show_alert: bool
    url: str | None
    cache_time: int
    date: int
