"""The command menu: set per language for new users, and per chat after /lang."""

from __future__ import annotations

import logging
from typing import Final

from telegram import Bot, BotCommand, BotCommandScopeChat
from telegram.error import TelegramError

from bot.domain.taxonomy import LANGUAGES
from bot.services import Services

logger = logging.getLogger(__name__)

# Shown in Telegram's menu, in this order; descriptions come from the catalogues.
MENU: Final = (
    "digest",
    "latest",
    "search",
    "subscribe",
    "unsubscribe",
    "mysubs",
    "regions",
    "topics",
    "time",
    "frequency",
    "timezone",
    "pause",
    "resume",
    "official",
    "alerts",
    "quiet",
    "lang",
    "why",
    "help",
    "stop",
)


def commands(services: Services, language: str) -> list[BotCommand]:
    """The menu in one language."""
    texts = services.texts(language)
    return [BotCommand(name, texts(f"menu.{name}")) for name in MENU]


async def set_default_commands(bot: Bot, services: Services) -> None:
    """One menu per language code, and the default language's for everyone else.

    A menu is a convenience: failing to publish it is logged, and the bot starts anyway.
    """
    try:
        await bot.set_my_commands(commands(services, services.settings.default_language))
        for language in LANGUAGES:
            await bot.set_my_commands(commands(services, language), language_code=language)
    except TelegramError as error:
        logger.warning("command menu not published error=%s", error)


async def set_chat_commands(bot: Bot, services: Services, *, chat_id: int, language: str) -> None:
    """After /lang the menu follows the chat's language; failing here is not worth an error."""
    try:
        await bot.set_my_commands(commands(services, language), scope=BotCommandScopeChat(chat_id))
    except TelegramError as error:
        logger.warning("chat menu not set chat=%s error=%s", chat_id, error)
