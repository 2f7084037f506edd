"""The bot's running parts that handlers share: the group guard and the digest sender."""

from __future__ import annotations

from dataclasses import dataclass

from bot.chat.groups import GroupGuard
from bot.delivery.sender import Sender


@dataclass(frozen=True, slots=True)
class Runtime:
    guard: GroupGuard
    sender: Sender
