"""Builds the python-telegram-bot Application: defaults, handlers, menus, error handler."""

from __future__ import annotations

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import Application, ContextTypes, Defaults, TypeHandler

from bot.chat.errors import error_handler
from bot.chat.groups import GroupGuard
from bot.chat.handlers import (
    buttons,
    channels,
    forum,
    help,
    membership,
    operators,
    reading,
    settings,
    start,
    subscriptions,
)
from bot.usecases.services import Services


def build_application(services: Services, *, token: str) -> Application:  # type: ignore[type-arg]
    """The bot as `newsdigest run` and the end-to-end tests run it."""

    application = (
        Application.builder()
        .token(token)
        .base_url(services.settings.telegram_api_base_url)
        .base_file_url(services.settings.telegram_api_base_url.replace("/bot", "/file/bot"))
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .context_types(ContextTypes())
        .build()
    )
    guard = GroupGuard(services)
    application.add_handler(TypeHandler(Update, guard.throttle_commands), group=-1)
    modules = (
        start,
        subscriptions,
        settings,
        reading,
        channels,
        forum,
        operators,
        membership,
        buttons,
        help,
    )
    for module in modules:
        application.add_handlers(module.handlers(services, guard))
    application.add_error_handler(error_handler(services))
    return application
