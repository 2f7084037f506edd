"""The table of Bot API methods; method names are case-insensitive, as on Telegram."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from bot.emulator.params import Params
from bot.emulator.state import EmulatorState

Handler = Callable[[EmulatorState, Params], Awaitable[Any]]
METHODS: dict[str, Handler] = {}


def api_method(*names: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        for name in names:
            METHODS[name.lower()] = handler
        return handler

    return register
