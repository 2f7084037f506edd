"""A digest's window: which stored articles it may show, and reading them with their hits."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.digests.articles import digest_article
from bot.domain.digest import DigestArticle
from storage.queries import digests as digest_queries
from storage.queries import search as search_queries


@dataclass(frozen=True, slots=True)
class WindowPolicy:
    """How far back digests look (settings ARTICLE_MAX_AGE_DAYS, FIRST_DIGEST_HOURS)."""

    max_age_days: int = 7
    first_digest_hours: int = 24


@dataclass(frozen=True, slots=True)
class WindowBounds:
    """Articles with after_id < id <= up_to_id, published at or after `published_since`."""

    after_id: int
    up_to_id: int
    published_since: datetime


async def bounds_for_chat(
    session: AsyncSession, *, watermark: int | None, now: datetime, policy: WindowPolicy
) -> WindowBounds:
    """A chat's window: since its watermark (or the last day for its first digest)."""
    if watermark is None:
        since = now - timedelta(hours=policy.first_digest_hours)
        watermark = await digest_queries.first_id_ingested_since(session, since=since)
    return WindowBounds(
        after_id=watermark,
        up_to_id=await digest_queries.latest_article_id(session),
        published_since=now - timedelta(days=policy.max_age_days),
    )


def bounds_claimed(
    *, start_id: int, end_id: int, claimed_at: datetime, max_age_days: int
) -> WindowBounds:
    """The window a scheduled claim fixed, read as it was when claimed."""
    return WindowBounds(
        after_id=start_id,
        up_to_id=end_id,
        published_since=claimed_at - timedelta(days=max_age_days),
    )


async def bounds_recent(session: AsyncSession, *, now: datetime, max_age_days: int) -> WindowBounds:
    """Every article of the last days, whatever was delivered (previews, /latest)."""
    return WindowBounds(
        after_id=0,
        up_to_id=await digest_queries.latest_article_id(session),
        published_since=now - timedelta(days=max_age_days),
    )


async def bounds_since_date(session: AsyncSession, *, since: date, zone: ZoneInfo) -> WindowBounds:
    """A preview over old data: every article published on or after a local date."""
    start = datetime.combine(since, time(0, 0), tzinfo=zone).astimezone(UTC)
    return WindowBounds(
        after_id=0,
        up_to_id=await digest_queries.latest_article_id(session),
        published_since=start,
    )


async def load_window(session: AsyncSession, bounds: WindowBounds) -> list[DigestArticle]:
    """The candidate articles of a window, as the digest domain takes them."""
    rows = await digest_queries.articles_in_window(
        session,
        after_id=bounds.after_id,
        published_since=bounds.published_since,
        up_to_id=bounds.up_to_id,
    )
    return [digest_article(row) for row in rows]


async def keyword_hits(
    session: AsyncSession, *, phrases: Iterable[str], bounds: WindowBounds
) -> dict[str, frozenset[int]]:
    """Article ids matching each distinct phrase within the window; one search for them all."""
    found = await search_queries.matching_ids(
        session, phrases=sorted(set(phrases)), after_id=bounds.after_id
    )
    return {
        phrase: frozenset(i for i in ids if i <= bounds.up_to_id) for phrase, ids in found.items()
    }
