"""A local Telegram Bot API emulator for end-to-end tests and the playground."""

from bot.emulator.emulator import Emulator
from bot.emulator.errors import ApiError
from bot.emulator.faults import Fault
from bot.emulator.flood import FloodLimits
from bot.emulator.models import Chat, ChatMessage, Topic, User

__all__ = ["ApiError", "Chat", "ChatMessage", "Emulator", "Fault", "FloodLimits", "Topic", "User"]
