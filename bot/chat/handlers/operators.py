"""Operators' commands: `/stats`; anyone else gets exactly the unknown-command reply."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler

from bot.chat.common import Context, Reply, answers, command
from bot.chat.operators_only import operators_only
from bot.domain.taxonomy import region_name
from bot.usecases import operator_stats
from bot.usecases.chats import ChatRef


@answers
async def stats(context: Context, ref: ChatRef, args: str) -> Reply:
    """/stats: chats, subscriptions per region, today's articles and digests, delivery lag."""
    found = await operator_stats.today(context.services, ref)
    figures, texts = found.figures, context.services.texts(found.language)
    per_region = figures.subscriptions_per_region
    regions = ", ".join(f"{region_name(slug, found.language)} {n}" for slug, n in per_region)
    return Reply(
        texts(
            "stats.text",
            chats=figures.chats,
            active=figures.active,
            paused=figures.paused,
            blocked=figures.blocked,
            regions=regions or "—",
            articles=figures.articles_today,
            sent=figures.digests_sent_today,
            failed=figures.digests_failed_today,
            lag_average=round(figures.lag_average_seconds),
            lag_max=round(figures.lag_max_seconds),
        )
    )


HANDLERS: list[BaseHandler[Update, Context, None]] = [command("stats", operators_only(stats))]
