"""Messages the bot sends on its own initiative to the operators."""

from __future__ import annotations

import logging

from telegram import Bot
from telegram.error import TelegramError

from bot.ingest.source_health import PollResult
from bot.services import Services
from storage.queries import sources as source_queries

logger = logging.getLogger(__name__)


async def tell_operators(bot: Bot, services: Services, result: PollResult) -> None:
    """A source kept failing and was paused: every operator hears it once."""
    async with services.database.read() as session:
        source = await source_queries.get(session, source_id=result.source_id)
    url = source.url if source else f"#{result.source_id}"
    for operator in services.settings.admin_user_ids:
        texts = services.texts(services.settings.default_language)
        try:
            await bot.send_message(
                operator,
                texts("sources.paused", id=result.source_id, url=url, reason=result.reason or "?"),
            )
        except TelegramError as error:
            logger.warning("operator not told operator=%s error=%s", operator, error)
