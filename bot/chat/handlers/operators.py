"""Operators' commands: `/stats`; anyone else gets exactly the unknown-command reply."""

from __future__ import annotations

from datetime import datetime, time

from telegram import Update
from telegram.ext import BaseHandler

from bot.chat.common import Context, command, reply
from bot.chat.operators_only import operators_only, texts_for
from bot.chat.runtime import Runtime
from bot.domain.taxonomy import region_name
from bot.services import Services
from storage.queries import stats as stats_queries


def handlers(services: Services, runtime: Runtime) -> list[BaseHandler[Update, Context, None]]:
    async def stats(update: Update, context: Context) -> None:
        """/stats: chats, subscriptions per region, today's articles and digests, delivery lag."""
        texts = await texts_for(services, update)
        now = services.clock.now()
        zone = services.settings.zone
        midnight = datetime.combine(now.astimezone(zone).date(), time(0, 0), tzinfo=zone)
        async with services.database.read() as session:
            figures = await stats_queries.collect(session, since=midnight)
        regions = (
            ", ".join(
                f"{region_name(slug, texts.language)} {count}"
                for slug, count in figures.subscriptions_per_region
            )
            or "—"
        )
        await reply(
            update,
            texts(
                "stats.text",
                chats=figures.chats,
                active=figures.active,
                paused=figures.paused,
                blocked=figures.blocked,
                regions=regions,
                articles=figures.articles_today,
                sent=figures.digests_sent_today,
                failed=figures.digests_failed_today,
                lag_average=round(figures.lag_average_seconds),
                lag_max=round(figures.lag_max_seconds),
            ),
        )

    return [command("stats", operators_only(services, stats))]
