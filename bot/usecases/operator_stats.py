"""The operators' /stats: how the bot is doing today, counted from the bot's time-zone midnight."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from bot.services import Services
from bot.usecases.chats import ChatRef, language_of
from storage.queries import stats as stats_queries
from storage.queries.stats import Figures


@dataclass(frozen=True, slots=True)
class Stats:
    """Today's figures, for a reply in the chat's language."""

    language: str
    figures: Figures


async def today(services: Services, ref: ChatRef) -> Stats:
    """Chats, subscriptions per region, today's articles and digests, delivery lag."""
    language = await language_of(services, ref)
    zone = services.settings.zone
    midnight = datetime.combine(services.clock.now().astimezone(zone).date(), time(0, 0), zone)
    async with services.database.read() as session:
        return Stats(language, await stats_queries.collect(session, since=midnight))
