"""Dispatch of Bot API calls to their handlers (importing the handler modules registers them)."""

from __future__ import annotations

from typing import Any

from bot.emulator import methods_bot, methods_chats, methods_messages
from bot.emulator.errors import NOT_FOUND
from bot.emulator.params import Params
from bot.emulator.registry import METHODS
from bot.emulator.state import EmulatorState

__all__ = ["call_method", "is_known", "methods_bot", "methods_chats", "methods_messages"]


def is_known(name: str) -> bool:
    return name.lower() in METHODS


async def call_method(state: EmulatorState, name: str, raw: dict[str, Any]) -> Any:
    """Run one method; raises ApiError with Telegram's answer on failure."""
    handler = METHODS.get(name.lower())
    if handler is None:
        raise NOT_FOUND
    state.calls.append(name)
    return await handler(state, Params(raw))
