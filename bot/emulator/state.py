"""Everything the emulator remembers, and the change signal waiters sleep on."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.emulator.faults import FaultPlan
from bot.emulator.flood import FloodControl, FloodLimits
from bot.emulator.models import CallbackAnswer, Chat, ChatMessage, User

DEFAULT_EXCLUDED_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


class ChangeSignal:
    """Wakes every waiter on each change; waiters re-check their predicate (no polling)."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait_for(self, predicate: Callable[[], bool], within: float | None) -> bool:
        """True once predicate() holds; False if `within` seconds pass first."""
        loop = asyncio.get_running_loop()
        deadline = None if within is None else loop.time() + within
        while not predicate():
            event = self._event
            remaining = None if deadline is None else deadline - loop.time()
            if remaining is not None and remaining <= 0:
                return False
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                return predicate()
        return True


@dataclass
class CallbackQuery:
    id: str
    user_id: int
    chat_id: int
    message_id: int
    data: str | None
    answer: CallbackAnswer | None = None


@dataclass
class EmulatorState:
    bot: User
    clock: Callable[[], float]
    flood: FloodControl
    faults: FaultPlan = field(default_factory=FaultPlan)
    users: dict[int, User] = field(default_factory=dict)
    chats: dict[int, Chat] = field(default_factory=dict)
    messages: dict[tuple[int, int], ChatMessage] = field(default_factory=dict)
    updates: list[dict[str, Any]] = field(default_factory=list)
    allowed_updates: frozenset[str] | None = None
    webhook_url: str = ""
    callback_queries: dict[str, CallbackQuery] = field(default_factory=dict)
    commands: dict[tuple[str, str], list[dict[str, str]]] = field(default_factory=dict)
    chat_actions: list[tuple[int, str]] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)
    retry_after_sent: dict[int, int] = field(default_factory=dict)
    privacy_mode: bool = True
    signal: ChangeSignal = field(default_factory=ChangeSignal)
    polling_generation: int = 0
    closing: bool = False
    # Benchmark mode: sendMessage does the least work (no HTML parsing, nothing kept), so the
    # emulator is not what limits a bot sending near Telegram's 1,000 msg/s.
    sink: bool = False
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _update_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(100_000))

    @classmethod
    def create(cls, bot: User, clock: Callable[[], float], limits: FloodLimits) -> EmulatorState:
        return cls(bot=bot, clock=clock, flood=FloodControl(limits, clock))

    def now(self) -> int:
        return int(self.clock())

    def next_id(self) -> int:
        return next(self._ids)

    def find_chat(self, ref: int | str) -> Chat | None:
        """A chat by numeric id or by @username (channels and supergroups)."""
        if isinstance(ref, str) and ref.startswith("@"):
            name = ref[1:].lower()
            return next(
                (c for c in self.chats.values() if (c.username or "").lower() == name), None
            )
        try:
            return self.chats.get(int(ref))
        except ValueError:
            return None

    def add_message(self, chat: Chat, sender_id: int | None, **fields: Any) -> ChatMessage:
        message = ChatMessage(
            chat_id=chat.id,
            message_id=chat.take_message_id(),
            date=self.now(),
            sender_id=sender_id,
            **fields,
        )
        self.messages[(chat.id, message.message_id)] = message
        self.signal.notify()
        return message

    def message(self, chat_id: int, message_id: int) -> ChatMessage | None:
        found = self.messages.get((chat_id, message_id))
        return None if found is None or found.deleted else found

    def bot_messages(self, chat_id: int) -> list[ChatMessage]:
        return [m for (cid, _), m in sorted(self.messages.items()) if cid == chat_id and m.from_bot]

    def is_allowed(self, kind: str) -> bool:
        if not self.allowed_updates:
            return kind not in DEFAULT_EXCLUDED_UPDATES
        return kind in self.allowed_updates

    def enqueue(self, kind: str, payload: dict[str, Any]) -> dict[str, Any] | None:
        """Queue an update unless the bot's allowed_updates filter drops it (as Telegram does)."""
        if not self.is_allowed(kind):
            return None
        update = {"update_id": next(self._update_ids), kind: payload}
        self.updates.append(update)
        self.signal.notify()
        return update

    def confirm(self, offset: int) -> None:
        """Forget updates below `offset`; a negative offset keeps only the last -offset ones."""
        if offset < 0:
            self.updates = self.updates[offset:]
        else:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]

    def user_api(self, user_id: int) -> dict[str, Any]:
        user = self.users.get(user_id)
        if user is None:
            return {"id": user_id, "is_bot": False, "first_name": ""}
        return user.to_api()

    def count_retry_after(self, chat_id: int) -> None:
        self.retry_after_sent[chat_id] = self.retry_after_sent.get(chat_id, 0) + 1
