"""`newsdigest digest`: the digest a chat with these interests would receive now."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from bot.clock import Clock
from bot.commands.common import UsageError, open_database
from bot.digests.preview import compose_digest, render
from bot.digests.window import WindowPolicy, bounds_for_chat, bounds_since_date
from bot.domain.digest import Interests
from bot.domain.plain_text import plain_text
from bot.domain.taxonomy import REGION_SLUGS, TOPIC_SLUGS
from bot.i18n import default_translator
from bot.settings import Settings


@dataclass(frozen=True, slots=True)
class DigestRequest:
    """The flags of `newsdigest digest`."""

    regions: tuple[str, ...]
    topics: tuple[str, ...]
    keywords: tuple[str, ...]
    excludes: tuple[str, ...]
    language: str
    since: date | None
    as_json: bool


def interests_of(request: DigestRequest) -> Interests:
    """Validated interests; an unknown slug is a usage error that lists the known ones."""
    for slug in request.regions:
        if slug not in REGION_SLUGS:
            raise UsageError(f"unknown region {slug!r}; known: {', '.join(REGION_SLUGS)}")
    for slug in request.topics:
        if slug not in TOPIC_SLUGS:
            raise UsageError(f"unknown topic {slug!r}; known: {', '.join(TOPIC_SLUGS)}")
    return Interests.of(request.regions, request.topics, request.keywords, request.excludes)


async def digest_command(settings: Settings, request: DigestRequest, clock: Clock) -> int:
    """Print the messages: readable text, or with --json the Telegram HTML strings in order."""
    interests = interests_of(request)
    now = clock.now()
    async with open_database(settings.database_url) as database, database.read() as session:
        if request.since is not None:
            bounds = await bounds_since_date(session, since=request.since, zone=settings.zone)
        else:
            policy = WindowPolicy(settings.article_max_age_days, settings.first_digest_hours)
            bounds = await bounds_for_chat(session, watermark=None, now=now, policy=policy)
        digest = await compose_digest(
            session,
            interests=interests,
            language=request.language,
            bounds=bounds,
            item_cap=settings.digest_item_cap,
        )
    rendered = render(
        digest, translator=default_translator(), day=now.astimezone(settings.zone).date()
    )
    if request.as_json:
        print(json.dumps(list(rendered.messages), ensure_ascii=False))
    elif not rendered.messages:
        print("(no matching articles)")
    else:
        print("\n\n".join(plain_text(message) for message in rendered.messages))
    return 0
