"""Building the world the bot lives in: users, chats, topics, membership, migrations."""

from __future__ import annotations

from typing import Any

from bot.emulator.api_objects import chat_member_updated, message_api
from bot.emulator.models import CHANNEL, GROUP, PRIVATE, SUPERGROUP, Chat, ChatMessage, Topic, User
from bot.emulator.state import EmulatorState

UserRef = User | int
ChatRef = Chat | int
_SERVICE_KEYS = frozenset(
    {
        "new_chat_members", "left_chat_member", "group_chat_created", "migrate_to_chat_id",
        "migrate_from_chat_id", "forum_topic_created", "forum_topic_closed",
        "forum_topic_reopened", "pinned_message",
    }
)  # fmt: skip


class World:
    def __init__(self, state: EmulatorState) -> None:
        self.state = state

    def user(self, ref: UserRef) -> User:
        return ref if isinstance(ref, User) else self.state.users[ref]

    def chat(self, ref: ChatRef) -> Chat:
        return ref if isinstance(ref, Chat) else self.state.chats[ref]

    def create_user(
        self,
        first_name: str = "Alice",
        *,
        username: str | None = None,
        last_name: str | None = None,
        language_code: str | None = "en",
    ) -> User:
        user = User(self.state.next_id() + 10_000, first_name, username, last_name, language_code)
        self.state.users[user.id] = user
        return user

    def create_private_chat(self, user: UserRef) -> Chat:
        person = self.user(user)
        chat = Chat(person.id, PRIVATE, username=person.username, first_name=person.first_name)
        chat.last_name = person.last_name
        self.state.chats[chat.id] = chat
        return chat

    def _new_group_like(
        self, chat: Chat, creator: UserRef | None, members: tuple[UserRef, ...], bot: str
    ) -> Chat:
        chat.bot_status = "left"
        self.state.chats[chat.id] = chat
        for member in members:
            chat.members[self.user(member).id] = "member"
        actor = self.user(creator) if creator is not None else None
        if actor is not None:
            chat.members[actor.id] = "creator"
        if bot != "left":
            self.set_bot_status(chat, bot, by=actor)
        return chat

    def create_group(
        self,
        title: str = "Group",
        *,
        creator: UserRef | None = None,
        members: tuple[UserRef, ...] = (),
        bot_status: str = "member",
    ) -> Chat:
        chat = Chat(-(self.state.next_id() + 1_000), GROUP, title=title)
        return self._new_group_like(chat, creator, members, bot_status)

    def create_supergroup(
        self,
        title: str = "Supergroup",
        *,
        username: str | None = None,
        forum: bool = False,
        creator: UserRef | None = None,
        members: tuple[UserRef, ...] = (),
        bot_status: str = "member",
    ) -> Chat:
        chat_id = -(1_000_000_000_000 + self.state.next_id())
        chat = Chat(chat_id, SUPERGROUP, title=title, username=username, is_forum=forum)
        return self._new_group_like(chat, creator, members, bot_status)

    def create_channel(
        self,
        title: str = "Channel",
        *,
        username: str | None = None,
        creator: UserRef | None = None,
        bot_status: str = "administrator",
    ) -> Chat:
        chat_id = -(1_000_000_000_000 + self.state.next_id())
        chat = Chat(chat_id, CHANNEL, title=title, username=username)
        return self._new_group_like(chat, creator, (), bot_status)

    def deliver(self, message: ChatMessage, kind: str | None = None) -> dict[str, Any] | None:
        """Queue the update for a new message if Telegram would show it to the bot."""
        chat = self.state.chats[message.chat_id]
        if chat.bot_status in ("left", "kicked") or not self._visible(chat, message):
            return None
        default = "channel_post" if chat.type == CHANNEL else "message"
        return self.state.enqueue(kind or default, message_api(self.state, message))

    def _visible(self, chat: Chat, message: ChatMessage) -> bool:
        """Privacy mode: in groups a bot sees commands, replies to it and service messages."""
        if chat.type not in (GROUP, SUPERGROUP) or not self.state.privacy_mode:
            return True
        if chat.bot_status in ("administrator", "creator") or _SERVICE_KEYS & message.extra.keys():
            return True
        replied = self.state.messages.get((chat.id, message.reply_to_message_id or 0))
        if replied is not None and replied.from_bot:
            return True
        text = message.text or ""
        if not text.startswith("/"):
            return False
        command = text.split()[0]
        target = command.partition("@")[2].lower()
        return not target or target == (self.state.bot.username or "").lower()

    def service_message(self, chat: Chat, by: User | None, **extra: Any) -> ChatMessage:
        thread = extra.pop("message_thread_id", None)
        message = self.state.add_message(
            chat, None if by is None else by.id, extra=extra, message_thread_id=thread
        )
        self.deliver(message)
        return message

    def set_bot_status(self, chat: ChatRef, status: str, *, by: UserRef | None = None) -> None:
        """Bot added, removed, promoted, demoted or kicked: a my_chat_member update."""
        target = self.chat(chat)
        actor = self.user(by) if by is not None else self._someone(target)
        old, target.bot_status = target.bot_status, status
        bot = self.state.bot.to_api()
        update = chat_member_updated(self.state, target.id, actor.id, bot, old, status)
        self.state.enqueue("my_chat_member", update)
        joined = old in ("left", "kicked") and status not in ("left", "kicked")
        if joined and target.type in (GROUP, SUPERGROUP):
            self.service_message(target, actor, new_chat_members=[bot])

    def _someone(self, chat: Chat) -> User:
        for user_id, status in chat.members.items():
            if status == "creator":
                return self.state.users[user_id]
        if chat.type == PRIVATE:
            return self.state.users[chat.id]
        if chat.members:
            return self.state.users[next(iter(chat.members))]
        return self.create_user("Owner")

    def set_member_status(
        self, chat: ChatRef, user: UserRef, status: str, *, by: UserRef | None = None
    ) -> None:
        """A member joined, left, was promoted...: a chat_member update (if allowed)."""
        target, person = self.chat(chat), self.user(user)
        old = target.members.get(person.id, "left")
        target.members[person.id] = status
        actor = self.user(by) if by is not None else person
        update = chat_member_updated(self.state, target.id, actor.id, person.to_api(), old, status)
        self.state.enqueue("chat_member", update)

    def block_bot(self, user: UserRef) -> None:
        self.set_bot_status(self.user(user).id, "kicked", by=user)

    def unblock_bot(self, user: UserRef) -> None:
        self.set_bot_status(self.user(user).id, "member", by=user)

    def migrate_group(self, chat: ChatRef, *, by: UserRef | None = None) -> Chat:
        """Upgrade a group: service messages on both sides, the old id then answers 400."""
        old = self.chat(chat)
        actor = self.user(by) if by is not None else self._someone(old)
        new = Chat(-(1_000_000_000_000 + self.state.next_id()), SUPERGROUP, title=old.title)
        new.members, new.bot_status = dict(old.members), old.bot_status
        self.state.chats[new.id] = new
        self.service_message(old, actor, migrate_to_chat_id=new.id)
        old.migrated_to = new.id
        self.service_message(new, actor, migrate_from_chat_id=old.id)
        return new

    def create_topic(self, chat: ChatRef, name: str, *, by: UserRef | None = None) -> Topic:
        forum = self.chat(chat)
        if not forum.is_forum:
            raise ValueError("topics exist only in forum supergroups")
        thread_id = forum.next_message_id  # a topic's id is its creation message's id
        topic = Topic(thread_id, name)
        forum.topics[thread_id] = topic
        actor = self.user(by) if by is not None else self._someone(forum)
        created = {"name": name, "icon_color": topic.icon_color}
        self.service_message(forum, actor, forum_topic_created=created, message_thread_id=thread_id)
        return topic

    def close_topic(self, chat: ChatRef, thread_id: int, *, reopen: bool = False) -> None:
        forum = self.chat(chat)
        topic = forum.topics[thread_id]
        topic.closed = not reopen
        key = "forum_topic_reopened" if reopen else "forum_topic_closed"
        self.service_message(forum, self._someone(forum), message_thread_id=thread_id, **{key: {}})

    def delete_topic(self, chat: ChatRef, thread_id: int) -> None:
        self.chat(chat).topics[thread_id].deleted = True
