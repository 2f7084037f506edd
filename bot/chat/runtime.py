"""The bot's running parts that handlers share: the group guard, the digest sender, the poller,
and the discovery offers waiting for an operator's press."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import httpx

from bot.chat.groups import GroupGuard
from bot.chat.source_offers import SourceOffers
from bot.delivery.sender import Sender
from bot.ingest.parse_worker import ParsingPool
from bot.ingest.poller import SourcePoller


@dataclass(frozen=True, slots=True)
class Runtime:
    guard: GroupGuard
    sender: Sender
    poller: SourcePoller
    http: httpx.AsyncClient
    parsing: ParsingPool
    offers: SourceOffers = field(default_factory=SourceOffers)

    async def close(self) -> None:
        """Release what the running bot opened: the source poller's HTTP client and workers."""
        await self.http.aclose()
        await asyncio.to_thread(self.parsing.close)
