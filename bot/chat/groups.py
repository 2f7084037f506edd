"""Good manners in groups: only administrators change settings; busy groups are throttled."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, Final

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.ext import ApplicationHandlerStop

from bot.chat.common import Context, chat_ref, reply
from bot.domain.throttle import SlidingWindow
from bot.usecases.chats import language_of
from bot.usecases.services import Services

GROUP_TYPES: Final = frozenset({ChatType.GROUP, ChatType.SUPERGROUP})
ADMIN_STATUSES: Final = frozenset({ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR})
ADMIN_CACHE_SECONDS: Final = 60.0
# Telegram allows 20 messages a minute in a group; commands get most, digests the rest.
COMMANDS_PER_MINUTE: Final = 15

Callback = Callable[[Update, Context], Coroutine[Any, Any, None]]


@dataclass
class GroupGuard:
    """Who may change settings in a group (asked of Telegram, cached a minute) and the throttle."""

    services: Services
    throttle: SlidingWindow = field(default_factory=lambda: SlidingWindow(COMMANDS_PER_MINUTE, 60))
    _admins: dict[tuple[int, int], tuple[bool, float]] = field(default_factory=dict)

    def _now(self) -> float:
        return self.services.clock.now().timestamp()

    async def is_admin(self, update: Update, context: Context) -> bool:
        """True in private chats; in groups for the creator, administrators, anonymous admins."""
        chat = update.effective_chat
        if chat is None or chat.type not in GROUP_TYPES:
            return True
        message = update.effective_message
        if message is not None and message.sender_chat is not None:
            return message.sender_chat.id == chat.id  # an anonymous administrator
        user = update.effective_user
        if user is None:
            return False
        key = (chat.id, user.id)
        cached = self._admins.get(key)
        if cached is not None and cached[1] > self._now():
            return cached[0]
        member = await context.bot.get_chat_member(chat.id, user.id)
        verdict = member.status in ADMIN_STATUSES
        self._admins[key] = (verdict, self._now() + ADMIN_CACHE_SECONDS)
        return verdict

    def forget(self, chat_id: int) -> None:
        """Drop cached verdicts of a chat (its administrators changed)."""
        for key in [key for key in self._admins if key[0] == chat_id]:
            del self._admins[key]

    async def throttle_commands(self, update: Update, context: Context) -> None:
        """Runs before every handler: a group over its budget gets no answer at all."""
        chat = update.effective_chat
        message = update.effective_message
        if chat is None or chat.type not in GROUP_TYPES or message is None:
            return
        is_command = update.message is not None and (update.message.text or "").startswith("/")
        if not is_command and update.callback_query is None:
            return
        if not self.throttle.allow(chat.id, self._now()):
            raise ApplicationHandlerStop

    def admin_only(self, callback: Callback, *, others: Callback | None = None) -> Callback:
        """Wrap a settings handler: in groups, non-administrators get a polite refusal."""

        async def guarded(update: Update, context: Context) -> None:
            if await self.is_admin(update, context):
                await callback(update, context)
            elif others is not None:
                await others(update, context)
            else:
                ref = chat_ref(update)
                language = await language_of(self.services, ref) if ref else "en"
                await reply(update, self.services.texts(language)("group.admins_only"))

        guarded.__doc__ = callback.__doc__
        return guarded
