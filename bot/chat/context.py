"""The typed context every handler and job receives: `context.services`, `context.runtime`.

python-telegram-bot builds `bot_data` itself (with no arguments), so `BotData` starts empty and
the composition root binds it once, before the application starts; a handler never fetches
untyped values out of a dictionary.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from telegram.ext import CallbackContext, ContextTypes, ExtBot

if TYPE_CHECKING:  # the running parts import the handlers' helpers, which import this
    from bot.chat.runtime import Runtime
    from bot.services import Services


class BotData:
    """What handlers and jobs share: the services and the running parts."""

    services: Services
    runtime: Runtime

    def bind(self, services: Services, runtime: Runtime) -> None:
        """Called once by the composition root (`build_bot`)."""
        self.services = services
        self.runtime = runtime


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """A CallbackContext whose `bot_data` is a BotData."""

    @property
    def services(self) -> Services:
        return self.bot_data.services

    @property
    def runtime(self) -> Runtime:
        return self.bot_data.runtime


CONTEXT_TYPES = ContextTypes(context=BotContext, bot_data=BotData)
