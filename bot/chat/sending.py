"""Sending a claimed digest: parts in order, forum topics with a fallback to General."""

from __future__ import annotations

import logging

from telegram import Bot
from telegram.error import BadRequest

from bot.usecases.reading import ClaimedDigest, DigestPart
from bot.usecases.services import Services

logger = logging.getLogger(__name__)
_GONE_TOPIC = ("topic_closed", "thread not found", "topic_deleted", "message thread not found")


def _topic_gone(error: BadRequest) -> bool:
    return any(marker in error.message.lower() for marker in _GONE_TOPIC)


async def send_claimed(
    bot: Bot, services: Services, claimed: ClaimedDigest, *, language: str
) -> list[int]:
    """Send every part; a closed or deleted forum topic falls back to General with a note."""
    sent: list[int] = []
    for part in claimed.parts:
        sent.extend(await _send_part(bot, services, claimed.chat_id, part, language=language))
    return sent


async def _send_part(
    bot: Bot, services: Services, chat_id: int, part: DigestPart, *, language: str
) -> list[int]:
    sent: list[int] = []
    thread = part.thread_id
    for text in part.messages:
        try:
            message = await bot.send_message(chat_id, text, message_thread_id=thread)
        except BadRequest as error:
            if thread is None or not _topic_gone(error):
                raise
            logger.warning("forum topic gone chat=%s thread=%s: %s", chat_id, thread, error.message)
            note = services.texts(language)(
                "forum.topic_gone", name=part.thread_name or str(thread)
            )
            sent.append((await bot.send_message(chat_id, note)).message_id)
            thread = None
            message = await bot.send_message(chat_id, text)
        sent.append(message.message_id)
    return sent
