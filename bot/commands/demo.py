"""`newsdigest demo`: the bundled seeds ingested, repaired and tagged; three readers' digests."""

from __future__ import annotations

import textwrap

from bot.clock import Clock
from bot.commands.demo_data import demo_world
from bot.digests.preview import compose_digest, render
from bot.digests.window import WindowPolicy, bounds_for_chat
from bot.domain.digest import Interests
from bot.domain.plain_text import plain_text
from bot.domain.taxonomy import region_name, topic_name
from bot.i18n import default_translator
from bot.settings import Settings
from storage.queries import articles as article_queries

NEWEST_SHOWN = 5
READERS = (
    ("A Karaganda reader, in English", Interests.of(regions=["karaganda"]), "en"),
    (
        "A Turkestan agriculture reader, in Russian",
        Interests.of(regions=["turkestan"], topics=["agriculture"]),
        "ru",
    ),
    ("A transport reader of every region, in Kazakh", Interests.of(topics=["transport"]), "kk"),
)


async def demo_command(settings: Settings, clock: Clock | None) -> int:
    """Ingest the bundled seeds into a throw-away SQLite file and show what readers get."""
    async with demo_world(settings, clock) as world:
        print("Polled the default sources (seeds/sources.toml; the bundled sample page):")
        for result in world.polled:
            reason = f" ({result.reason})" if result.reason else ""
            print(f"  source #{result.source_id}: {result.status}, new {result.new}{reason}")
        now = world.clock.now()
        print(f"Clock pinned to {now.astimezone(settings.zone):%Y-%m-%d %H:%M %Z}.")
        async with world.database.read() as session:
            newest = await article_queries.newest_articles(session, limit=NEWEST_SHOWN)
            tags = await article_queries.tags_of(
                session, article_ids=[a.id for a in newest if a.id is not None]
            )
            print(f"\nThe {len(newest)} newest articles, repaired and tagged:\n")
            for article in newest:
                regions, topics = tags.get(article.id or 0, ((), ()))
                local_day = article.published_at.astimezone(settings.zone).date()
                print(f"• {article.title}")
                print(
                    f"  {local_day:%d.%m.%Y} · {article.language} · "
                    f"{', '.join(region_name(r, 'en') for r in regions)} · "
                    f"{', '.join(topic_name(t, 'en') for t in topics)}"
                )
                print(textwrap.indent(textwrap.fill(article.summary, 96), "  "))
                print(f"  {article.source_url or '(no link)'}\n")
            policy = WindowPolicy(settings.article_max_age_days, settings.first_digest_hours)
            for title, interests, language in READERS:
                bounds = await bounds_for_chat(session, watermark=None, now=now, policy=policy)
                digest = await compose_digest(
                    session,
                    interests=interests,
                    language=language,
                    bounds=bounds,
                    item_cap=settings.digest_item_cap,
                )
                rendered = render(
                    digest,
                    translator=default_translator(),
                    day=now.astimezone(settings.zone).date(),
                )
                print(f"───── {title} ─────\n")
                for message in rendered.messages or ("(nothing today)",):
                    print(plain_text(message) + "\n")
    print("Chat with the real bot offline: `newsdigest playground`.")
    print("Run it on Telegram: set TELEGRAM_BOT_TOKEN (see .env.example), then `newsdigest run`.")
    return 0
