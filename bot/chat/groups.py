"""Good manners in chats: only administrators change a group's settings; floods are throttled."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Final

from telegram import Chat, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import RetryAfter, TelegramError
from telegram.ext import ApplicationHandlerStop

from bot.chat.common import Callback, Context, chat_ref, reply
from bot.chat.errors import log_flood_limit, retry_seconds
from bot.domain.throttle import Budget, ChatBudget, SlidingWindow, Verdict
from bot.services import Services
from bot.usecases.chats import language_of

logger = logging.getLogger(__name__)

GROUP_TYPES: Final = frozenset({ChatType.GROUP, ChatType.SUPERGROUP})
ADMIN_STATUSES: Final = frozenset({ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR})
ADMIN_CACHE_SECONDS: Final = 60.0
# Telegram allows 20 messages a minute in a group; commands get most, digests the rest.
COMMANDS_PER_MINUTE: Final = 15
# A person reads between requests, one every few seconds, but taps through onboarding or a
# keyboard of regions in about ten quick steps: a burst of 10, then 20 a minute. A flood gets
# ten answers and one notice, then silence until the bucket is full again (30 s). Telegram takes
# only about three messages at once into a private chat, so the rest of that first burst meets
# 429s: one WARNING line each, never retried.
PRIVATE_BUDGET: Final = Budget(burst=10, per_minute=20)


@dataclass
class GroupGuard:
    """Who may change settings in a group (asked of Telegram, cached a minute); the throttles."""

    services: Services
    throttle: SlidingWindow = field(default_factory=lambda: SlidingWindow(COMMANDS_PER_MINUTE, 60))
    private: ChatBudget = field(default_factory=lambda: ChatBudget(PRIVATE_BUDGET))
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
        """Runs before every handler: a request over its chat's budget is not answered.

        A group over budget gets silence: a notice would spend the allowance its digests need
        and speak to everyone. A person is told once to slow down. A button pressed over budget
        gets an empty answer, which stops its spinner without touching the database.
        """
        chat = update.effective_chat
        if chat is None or (update.message is None and update.callback_query is None):
            return
        verdict = self._verdict(update, chat)
        if verdict is Verdict.ANSWER:
            return
        if verdict is Verdict.NOTICE:
            await self._slow_down(update, chat.id)
        else:
            await self._quiet_answer(update, chat.id)
        raise ApplicationHandlerStop

    def _verdict(self, update: Update, chat: Chat) -> Verdict:
        """The chat's budget decides; in groups it counts commands and presses only."""
        now = self._now()
        if chat.type == ChatType.PRIVATE:
            return self.private.decide(chat.id, now)
        if chat.type in GROUP_TYPES:
            text = update.message.text if update.message is not None else None
            counted = update.callback_query is not None or (text or "").startswith("/")
            if counted and not self.throttle.allow(chat.id, now):
                return Verdict.SILENT
        return Verdict.ANSWER

    async def _slow_down(self, update: Update, chat_id: int) -> None:
        """The one notice of an episode; if Telegram says wait, it is owed until then."""
        ref = chat_ref(update)
        language = await language_of(self.services, ref) if ref else "en"
        text = self.services.texts(language)("error.slow_down")
        try:
            if update.callback_query is not None:
                await update.callback_query.answer(text)
            else:
                await reply(update, text)
        except RetryAfter as error:
            log_flood_limit(chat_id, error, update_id=update.update_id)
            self.private.notice_refused(chat_id, self._now(), retry_seconds(error))
        except TelegramError as error:
            logger.warning("slow-down notice failed chat=%s error=%s", chat_id, error)

    async def _quiet_answer(self, update: Update, chat_id: int) -> None:
        """Stop a pressed button's spinner; a message over budget needs nothing."""
        if update.callback_query is None:
            return
        try:
            await update.callback_query.answer()
        except RetryAfter as error:
            log_flood_limit(chat_id, error, update_id=update.update_id)
        except TelegramError as error:
            logger.warning("empty answer failed chat=%s error=%s", chat_id, error)


def admin_only(callback: Callback, *, others: Callback | None = None) -> Callback:
    """Wrap a settings handler: in groups, non-administrators get a polite refusal (or
    `others`, when they may do something else)."""

    async def guarded(update: Update, context: Context) -> None:
        guard = context.runtime.guard
        if await guard.is_admin(update, context):
            await callback(update, context)
        elif others is not None:
            await others(update, context)
        else:
            ref = chat_ref(update)
            services = context.services
            language = await language_of(services, ref) if ref else "en"
            await reply(update, services.texts(language)("group.admins_only"))

    guarded.__doc__ = callback.__doc__
    return guarded
