"""The bot's running parts that handlers share: the group guard and the digest sender."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from bot.chat.groups import GroupGuard
from bot.delivery.sender import Sender
from bot.ingest.poller import SourcePoller


@dataclass(frozen=True, slots=True)
class Runtime:
    guard: GroupGuard
    sender: Sender
    poller: SourcePoller
    http: httpx.AsyncClient

    async def close(self) -> None:
        """Release what the running bot opened (the HTTP client of the source poller)."""
        await self.http.aclose()
