"""Bot API JSON objects built from the emulator's records (Message, ChatMember, ...)."""

from __future__ import annotations

from typing import Any

from bot.emulator.models import CHANNEL, ChatMessage
from bot.emulator.state import EmulatorState

_ADMIN_RIGHTS = (
    "can_manage_chat", "can_delete_messages", "can_manage_video_chats", "can_restrict_members",
    "can_promote_members", "can_change_info", "can_invite_users", "can_post_stories",
    "can_edit_stories", "can_delete_stories", "can_pin_messages", "can_manage_topics",
)  # fmt: skip
_RESTRICTED_RIGHTS = (
    "can_change_info", "can_invite_users", "can_pin_messages", "can_send_messages",
    "can_send_polls", "can_send_other_messages", "can_add_web_page_previews",
    "can_manage_topics", "can_send_audios", "can_send_documents", "can_send_photos",
    "can_send_videos", "can_send_video_notes", "can_send_voice_notes", "can_edit_tag",
)  # fmt: skip


def message_api(
    state: EmulatorState, message: ChatMessage, *, nested: bool = False
) -> dict[str, Any]:
    chat = state.chats[message.chat_id]
    body: dict[str, Any] = {"message_id": message.message_id}
    if message.sender_id == state.bot.id and chat.type != CHANNEL:
        body["from"] = state.bot.to_api()
    elif message.sender_id is not None:
        body["from"] = state.user_api(message.sender_id)
    else:
        body["sender_chat"] = chat.to_api()
    body["date"] = message.date
    body["chat"] = chat.to_api()
    if message.message_thread_id is not None:
        body["message_thread_id"] = message.message_thread_id
        if chat.is_forum:
            body["is_topic_message"] = True
    if message.reply_to_message_id is not None and not nested:
        replied = state.messages.get((chat.id, message.reply_to_message_id))
        if replied is not None:
            body["reply_to_message"] = message_api(state, replied, nested=True)
    if message.edit_date is not None:
        body["edit_date"] = message.edit_date
    if message.text is not None:
        body["text"] = message.text
        if message.entities:
            body["entities"] = [e.to_api(state.user_api) for e in message.entities]
    if message.link_preview_options:
        body["link_preview_options"] = message.link_preview_options
    if message.reply_markup and "inline_keyboard" in message.reply_markup:
        body["reply_markup"] = message.reply_markup
    body.update(message.extra)
    return body


def member_api(user: dict[str, Any], status: str, *, channel: bool = False) -> dict[str, Any]:
    """A ChatMember object of the given status with every field PTB requires."""
    body: dict[str, Any] = {"status": status, "user": user}
    if status == "creator":
        body["is_anonymous"] = False
    elif status == "administrator":
        body.update(can_be_edited=False, is_anonymous=False)
        body.update(dict.fromkeys(_ADMIN_RIGHTS, True))
        if channel:
            body.update(can_post_messages=True, can_edit_messages=True)
    elif status == "restricted":
        body.update(is_member=True, until_date=0)
        body.update(dict.fromkeys(_RESTRICTED_RIGHTS, False))
    elif status == "kicked":
        body["until_date"] = 0
    return body


def chat_member_updated(
    state: EmulatorState, chat_id: int, actor_id: int, member: dict[str, Any], old: str, new: str
) -> dict[str, Any]:
    chat = state.chats[chat_id]
    channel = chat.type == CHANNEL
    return {
        "chat": chat.to_api(),
        "from": state.bot.to_api() if actor_id == state.bot.id else state.user_api(actor_id),
        "date": state.now(),
        "old_chat_member": member_api(member, old, channel=channel),
        "new_chat_member": member_api(member, new, channel=channel),
    }
