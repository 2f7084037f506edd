"""Operators' commands: `/stats`; anyone else gets exactly the unknown-command reply."""

from __future__ import annotations

import asyncio

from telegram import Message, Update
from telegram.ext import BaseHandler

from bot.chat.common import Context, chat_ref, command, command_text, reply
from bot.chat.operators_only import operators_only
from bot.chat.stats_view import chart_caption, chart_labels, render_chart, stats_text
from bot.usecases import operator_stats
from bot.usecases.chats import ChatRef


async def stats(update: Update, context: Context) -> None:
    """/stats: the last 24 hours in figures; `/stats chart`: deliveries and lag per hour."""
    ref, message = chat_ref(update), update.effective_message
    if ref is None or message is None:
        return
    if command_text(message).lower() == "chart":
        await _chart(context, ref, message)
        return
    day = await operator_stats.last_day(context.services, ref)
    await reply(update, stats_text(context.services.texts(day.language), day))


async def _chart(context: Context, ref: ChatRef, message: Message) -> None:
    """Drawn in a worker thread (a few hundred milliseconds): jobs and other chats go on."""
    found = await operator_stats.last_hours(context.services, ref)
    texts = context.services.texts(found.language)
    picture = await asyncio.to_thread(render_chart, found.hours, chart_labels(texts, found.zone))
    await message.reply_photo(picture, caption=chart_caption(texts, found), do_quote=False)


HANDLERS: list[BaseHandler[Update, Context, None]] = [
    command("stats", operators_only(stats), block=False)
]
