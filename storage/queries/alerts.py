"""Urgent alerts in the ledger: the urgent articles, the chats each story should reach, alert rows
claimed once per chat and story, and the held ones released, expired or withdrawn."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, and_, exists, func, or_, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import Article, Chat, Delivery, Subscription
from storage.queries.deliveries import ALERT, CLAIMED, SENT, lease_free

EXPIRED = "expired"  # held through quiet hours until the event was over: left to the digest
CAPPED = "capped"  # over the chat's daily cap: never sent, the story comes in the digest
# Held for a chat that since turned alerts off or paused, or whose digest told the story first.
WITHDRAWN = "withdrawn"
COUNTED = (CLAIMED, SENT)  # the alerts a chat's daily cap counts
_BATCH = 500


class UrgentArticle(NamedTuple):
    """What alerting needs of an urgent article beyond what digests read."""

    id: int
    story_id: int  # its cluster id, or its own id when it began the cluster
    category: str
    starts_at: datetime | None
    ends_at: datetime | None
    canonical_url: str | None
    ingested_at: datetime


class AlertChat(NamedTuple):
    """A chat that wants alerts, with what its alert's text and timing depend on."""

    id: int
    language: str
    timezone: str
    quiet_start: str | None
    quiet_end: str | None
    official_only: bool


async def urgent_articles(
    session: AsyncSession, *, ingested_since: datetime, published_since: datetime, now: datetime
) -> list[UrgentArticle]:
    """Urgent articles ingested since `ingested_since` and published since `published_since`
    whose event is not over at `now`: a source's backlog, read for the first time, brings old
    notices that say no date, and those are not news of the moment."""
    rows = await session.execute(
        select(
            col(Article.id),
            func.coalesce(col(Article.cluster_id), col(Article.id)),
            col(Article.alert_category),
            col(Article.alert_starts_at),
            col(Article.alert_ends_at),
            col(Article.canonical_url),
            col(Article.ingested_at),
        )
        .where(col(Article.alert_category).is_not(None))
        .where(col(Article.ingested_at) >= ingested_since)
        .where(col(Article.published_at) >= published_since)
        .where(or_(col(Article.alert_ends_at).is_(None), col(Article.alert_ends_at) > now))
        .order_by(col(Article.id))
    )
    return [UrgentArticle._make(row) for row in rows]


async def chats_to_alert(
    session: AsyncSession, *, story_id: int, regions: Sequence[str], official: bool
) -> list[AlertChat]:
    """Chats with alerts on, in one of `regions`, that have no alert row for the story yet.

    `official` says whether the story has a version from an official source; without one,
    chats that read official sources only are left out. One query, whatever the chat count.
    """
    in_regions = select(col(Subscription.chat_id)).where(
        col(Subscription.kind) == "region", col(Subscription.value).in_(list(regions))
    )
    alerted = exists().where(
        col(Delivery.kind) == ALERT,
        col(Delivery.chat_id) == col(Chat.id),
        col(Delivery.story_id) == story_id,
    )
    query = (
        select(
            col(Chat.id),
            col(Chat.language),
            col(Chat.timezone),
            col(Chat.quiet_start),
            col(Chat.quiet_end),
            col(Chat.official_only),
        )
        .where(col(Chat.alerts).is_(True))
        .where(col(Chat.paused).is_(False))
        .where(col(Chat.blocked).is_(False))
        .where(col(Chat.id).in_(in_regions))
        .where(~alerted)
        .order_by(col(Chat.id))
    )
    if not official:
        query = query.where(col(Chat.official_only).is_(False))
    return [AlertChat._make(row) for row in await session.execute(query)]


async def counted_alerts(
    session: AsyncSession, *, chat_ids: Sequence[int], since: datetime
) -> list[tuple[int, datetime]]:
    """(chat id, due instant) of the alerts the daily cap counts, due since `since`."""
    found: list[tuple[int, datetime]] = []
    for start in range(0, len(chat_ids), _BATCH):
        rows = await session.execute(
            select(col(Delivery.chat_id), col(Delivery.due_at))
            .where(col(Delivery.kind) == ALERT)
            .where(col(Delivery.status).in_(COUNTED))
            .where(col(Delivery.due_at) >= since)
            .where(col(Delivery.chat_id).in_(chat_ids[start : start + _BATCH]))
        )
        found.extend((int(chat_id), due) for chat_id, due in rows)
    return found


async def insert_alerts(session: AsyncSession, *, rows: Sequence[dict[str, object]]) -> None:
    """Alert rows in batched statements; a row for a (chat, story) that has one is skipped,
    so a second version of a story, or a second planner, never alerts anyone again."""
    for start in range(0, len(rows), _BATCH):
        await session.execute(_insert_once(session), list(rows[start : start + _BATCH]))


def _insert_once(session: AsyncSession) -> Any:
    """INSERT … ON CONFLICT (chat_id, story_id) WHERE kind = 'alert' DO NOTHING."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(Delivery).on_conflict_do_nothing(
        index_elements=["chat_id", "story_id"], index_where=text("kind = 'alert'")
    )


async def due_alerts(session: AsyncSession, *, now: datetime, limit: int) -> list[int]:
    """Claimed alerts due at `now` (new, released from quiet hours, or left by a crash)."""
    rows = await session.execute(
        select(col(Delivery.id))
        .where(col(Delivery.kind) == ALERT)
        .where(col(Delivery.status) == CLAIMED)
        .where(col(Delivery.due_at) <= now)
        .order_by(col(Delivery.due_at), col(Delivery.id))
        .limit(limit)
    )
    return [delivery_id for delivery_id in rows.scalars() if delivery_id is not None]


async def close_unsendable(session: AsyncSession, *, now: datetime) -> None:
    """Finish the due alerts that must not go out: the event is over (EXPIRED), or the chat
    no longer wants alerts (WITHDRAWN). Never one whose message may already have been sent,
    nor one an instance is sending right now (its row lease runs)."""
    unsent = and_(
        col(Delivery.kind) == ALERT,
        col(Delivery.status) == CLAIMED,
        col(Delivery.due_at) <= now,
        col(Delivery.first_sent_at).is_(None),
        lease_free(now),
    )
    # Correlated to the few due rows, so neither table is read whole.
    over = exists().where(
        col(Article.id) == col(Delivery.article_id), col(Article.alert_ends_at) <= now
    )
    unwanted = exists().where(
        col(Chat.id) == col(Delivery.chat_id),
        or_(col(Chat.alerts).is_(False), col(Chat.paused).is_(True)),
    )
    for status, condition in ((EXPIRED, over), (WITHDRAWN, unwanted)):
        await session.execute(
            update(Delivery)
            .where(unsent, condition)
            .values(status=status, finished_at=now, payload=None)
            .execution_options(synchronize_session=False)
        )


def _held(now: datetime) -> tuple[ColumnElement[bool], ...]:
    """An alert row held through quiet hours at `now` (a due one may be on its way already)."""
    return (
        col(Delivery.kind) == ALERT,
        col(Delivery.status) == CLAIMED,
        col(Delivery.first_sent_at).is_(None),
        col(Delivery.due_at) > now,
    )


async def chats_holding_alerts(
    session: AsyncSession, *, chat_ids: Sequence[int], now: datetime
) -> set[int]:
    """Which of these chats have alerts held at `now` (few do: most digests need not look
    further for alerts to withdraw)."""
    found: set[int] = set()
    for start in range(0, len(chat_ids), _BATCH):
        rows = await session.scalars(
            select(col(Delivery.chat_id))
            .where(*_held(now), col(Delivery.chat_id).in_(chat_ids[start : start + _BATCH]))
            .distinct()
        )
        found.update(int(chat_id) for chat_id in rows)
    return found


async def withdraw_told_in_digest(
    session: AsyncSession, *, chat_id: int, article_ids: Sequence[int], now: datetime
) -> None:
    """A digest about to tell these articles' stories in full: the chat's alerts for them that
    are still held (quiet hours) would only repeat it, so they are withdrawn."""
    if not article_ids:
        return
    stories = select(func.coalesce(col(Article.cluster_id), col(Article.id))).where(
        col(Article.id).in_(list(article_ids))
    )
    await session.execute(
        update(Delivery)
        .where(*_held(now), col(Delivery.chat_id) == chat_id, col(Delivery.story_id).in_(stories))
        .values(status=WITHDRAWN, finished_at=now, payload=None)
        .execution_options(synchronize_session=False)
    )


async def folded_alerts(
    session: AsyncSession, *, chat_ids: Sequence[int], after_id: int
) -> dict[int, set[int]]:
    """Each chat's articles after `after_id` whose alerts were never sent, capped or over
    before its quiet hours ended: a digest shows those of its window whatever the chat's
    topics. Chats without any are absent."""
    found: dict[int, set[int]] = {}
    for start in range(0, len(chat_ids), _BATCH):
        rows = await session.execute(
            select(col(Delivery.chat_id), col(Delivery.article_id))
            .where(col(Delivery.kind) == ALERT)
            .where(col(Delivery.chat_id).in_(chat_ids[start : start + _BATCH]))
            .where(col(Delivery.status).in_((CAPPED, EXPIRED)))
            .where(col(Delivery.article_id) > after_id)
        )
        for chat_id, article_id in rows:
            if article_id is not None:
                found.setdefault(int(chat_id), set()).add(int(article_id))
    return found


async def alerted_stories(
    session: AsyncSession, *, chat_ids: Sequence[int], story_ids: Sequence[int]
) -> dict[int, frozenset[int]]:
    """Which of these stories each chat already received as an alert (chats that received
    none of them are absent)."""
    found: dict[int, set[int]] = {}
    if not story_ids:
        return {}
    for start in range(0, len(chat_ids), _BATCH):
        rows = await session.execute(
            select(col(Delivery.chat_id), col(Delivery.story_id))
            .where(col(Delivery.kind) == ALERT)
            .where(col(Delivery.status) == SENT)
            .where(col(Delivery.chat_id).in_(chat_ids[start : start + _BATCH]))
            .where(col(Delivery.story_id).in_(list(story_ids)))
        )
        for chat_id, story_id in rows:
            if story_id is not None:
                found.setdefault(int(chat_id), set()).add(int(story_id))
    return {chat_id: frozenset(stories) for chat_id, stories in found.items()}
