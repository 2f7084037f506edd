"""Messages the bot sends on its own initiative to the operators."""

from __future__ import annotations

import logging

from telegram import Bot
from telegram.error import TelegramError

from bot.ingest.source_health import PollResult
from bot.services import Services
from bot.usecases.source_operations import address_of

logger = logging.getLogger(__name__)


async def tell_operators(bot: Bot, services: Services, result: PollResult) -> None:
    """A source kept failing and was paused: every operator hears it once."""
    address = await address_of(services, result.source_id)
    url = address if address is not None else f"#{result.source_id}"
    texts = services.texts(services.settings.default_language)
    text = texts("sources.paused", id=result.source_id, url=url, reason=result.reason or "?")
    for operator in services.settings.admin_user_ids:
        try:
            await bot.send_message(operator, text)
        except TelegramError as error:
            logger.warning("operator not told operator=%s error=%s", operator, error)
