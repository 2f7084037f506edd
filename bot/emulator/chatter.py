"""What users do: write, edit, press buttons, send stickers and photos, forward posts."""

from __future__ import annotations

import secrets
from typing import Any

from bot.emulator.api_objects import message_api
from bot.emulator.models import PRIVATE, ChatMessage
from bot.emulator.state import CallbackQuery
from bot.emulator.text import detect_entities
from bot.emulator.world import ChatRef, UserRef, World


class Chatter(World):
    def _ensure_unblocked(self, user_id: int, chat_id: int) -> None:
        """Writing to a bot one has blocked unblocks it first, as Telegram's apps do."""
        chat = self.state.chats[chat_id]
        if chat.type == PRIVATE and chat.bot_status == "kicked":
            self.set_bot_status(chat, "member", by=user_id)

    def send_message(
        self,
        user: UserRef,
        chat: ChatRef,
        text: str,
        *,
        message_thread_id: int | None = None,
        reply_to: int | None = None,
    ) -> ChatMessage:
        """A user's text message; commands get bot_command entities as on Telegram."""
        person, target = self.user(user), self.chat(chat)
        self._ensure_unblocked(person.id, target.id)
        message = self.state.add_message(
            target,
            person.id,
            text=text,
            entities=detect_entities(text, []),
            message_thread_id=message_thread_id,
            reply_to_message_id=reply_to,
        )
        self.deliver(message)
        return message

    def send_anonymous(
        self, chat: ChatRef, text: str, *, message_thread_id: int | None = None
    ) -> ChatMessage:
        """A message by an anonymous group administrator: it comes from the group itself."""
        target = self.chat(chat)
        message = self.state.add_message(
            target,
            None,
            text=text,
            entities=detect_entities(text, []),
            message_thread_id=message_thread_id,
        )
        self.deliver(message)
        return message

    def edit_user_message(self, message: ChatMessage, text: str) -> ChatMessage:
        message.text = text
        message.entities = detect_entities(text, [])
        message.edit_date = self.state.now()
        chat = self.state.chats[message.chat_id]
        self.deliver(message, "edited_channel_post" if chat.type == "channel" else "edited_message")
        return message

    def _media(self, user: UserRef, chat: ChatRef, **extra: Any) -> ChatMessage:
        person, target = self.user(user), self.chat(chat)
        message = self.state.add_message(target, person.id, extra=extra)
        self.deliver(message)
        return message

    def send_sticker(self, user: UserRef, chat: ChatRef, emoji: str = "👍") -> ChatMessage:
        file_id = secrets.token_hex(8)
        sticker = {
            "file_id": f"sticker-{file_id}",
            "file_unique_id": file_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        return self._media(user, chat, sticker=sticker)

    def send_photo(self, user: UserRef, chat: ChatRef, caption: str | None = None) -> ChatMessage:
        file_id = secrets.token_hex(8)
        sizes = [
            {"file_id": f"photo-{file_id}-{w}", "file_unique_id": f"{file_id}{w}", "width": w,
             "height": w * 3 // 4}
            for w in (90, 320, 800)
        ]  # fmt: skip
        extra: dict[str, Any] = {"photo": sizes}
        if caption:
            extra["caption"] = caption
            entities = detect_entities(caption, [])
            if entities:
                extra["caption_entities"] = [e.to_api() for e in entities]
        return self._media(user, chat, **extra)

    def press_button(
        self, user: UserRef, message: ChatMessage, callback_data: str, *, forged: bool = False
    ) -> str:
        """A callback_query update for a button of a bot message; returns the query id.

        `forged=True` sends data no button carries (a modified client can do that).
        """
        if not message.from_bot or message.deleted:
            raise ValueError("only buttons of existing bot messages can be pressed")
        if not forged and callback_data not in message.callback_data:
            raise ValueError(f"no button with callback_data {callback_data!r}")
        person = self.user(user)
        query = CallbackQuery(
            str(secrets.randbits(62)), person.id, message.chat_id, message.message_id, callback_data
        )
        self.state.callback_queries[query.id] = query
        payload = {
            "id": query.id,
            "from": person.to_api(),
            "message": message_api(self.state, message),
            "chat_instance": str(abs(message.chat_id) * 7919 % 10**12),
            "data": callback_data,
        }
        self.state.enqueue("callback_query", payload)
        return query.id

    def post_to_channel(self, channel: ChatRef, text: str) -> ChatMessage:
        target = self.chat(channel)
        message = self.state.add_message(
            target, None, text=text, entities=detect_entities(text, [])
        )
        self.deliver(message)
        return message

    def forward_channel_post(
        self, user: UserRef, chat: ChatRef, channel: ChatRef, text: str
    ) -> ChatMessage:
        """A user forwards a channel post (forward_origin of type channel) into a chat."""
        source = self.chat(channel)
        post = self.state.add_message(source, None, text=text)  # the bot may not see the channel
        origin = {
            "type": "channel",
            "chat": source.to_api(),
            "message_id": post.message_id,
            "date": post.date,
        }
        person, target = self.user(user), self.chat(chat)
        message = self.state.add_message(
            target,
            person.id,
            text=text,
            entities=detect_entities(text, []),
            extra={"forward_origin": origin},
        )
        self.deliver(message)
        return message
