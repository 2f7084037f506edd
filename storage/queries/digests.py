"""What digests read: the articles of a window with their tags, and the window's bounds."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import false, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import Article, Source
from storage.queries.articles import tags_of


class WindowArticle(NamedTuple):
    """An article as digests need it: text to show, tags to select by, cluster to group by,
    source to share the digest by. The fields are `_COLUMNS` in order, then the tags, so a
    row becomes one without naming its fields again."""

    id: int
    title: str
    summary: str
    source_url: str | None
    site_name: str
    language: str
    published_at: datetime
    cluster_id: int  # the article's own id when it began its cluster
    source_id: int | None
    official: bool  # supplied by an official source (gov.kz, akimats, ministries)
    regions: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()


async def latest_article_id(session: AsyncSession) -> int:
    """The newest ingest id (0 on an empty database): where a watermark can move to."""
    return int((await session.execute(select(func.max(Article.id)))).scalar() or 0)


async def first_id_ingested_since(session: AsyncSession, *, since: datetime) -> int:
    """The watermark that makes a window start at `since` (a new chat's first digest)."""
    found = (
        await session.execute(select(func.min(Article.id)).where(col(Article.ingested_at) >= since))
    ).scalar()
    if found is None:
        return await latest_article_id(session)
    return int(found) - 1


async def articles_in_window(
    session: AsyncSession,
    *,
    after_id: int,
    published_since: datetime,
    up_to_id: int | None = None,
) -> list[WindowArticle]:
    """Articles ingested after the watermark and published since the cut-off, with their tags.

    A story whose cluster began before the watermark was already offered to this chat, so a
    later copy from another source is left out (`cluster_id > after_id`).
    """
    query = (
        select(*_COLUMNS)
        .outerjoin(Source, col(Source.id) == col(Article.source_id))
        .where(col(Article.id) > after_id)
        .where(col(Article.published_at) >= published_since)
        .where(func.coalesce(col(Article.cluster_id), col(Article.id)) > after_id)
        .order_by(col(Article.id))
    )
    if up_to_id is not None:
        query = query.where(col(Article.id) <= up_to_id)
    return await _with_tags(session, list(await session.execute(query)))


async def articles_by_ids(session: AsyncSession, *, ids: Sequence[int]) -> list[WindowArticle]:
    """Articles by id, in the order given (missing ids are skipped)."""
    if not ids:
        return []
    rows = await session.execute(
        select(*_COLUMNS)
        .outerjoin(Source, col(Source.id) == col(Article.source_id))
        .where(col(Article.id).in_(list(ids)))
    )
    found = {row.id: row for row in rows}
    return await _with_tags(session, [found[i] for i in ids if i in found])


# What digests show and select by: never the bodies, which are most of an article's bytes.
_COLUMNS = (
    col(Article.id),
    col(Article.title),
    col(Article.summary),
    col(Article.source_url),
    col(Article.site_name),
    col(Article.language),
    col(Article.published_at),
    func.coalesce(col(Article.cluster_id), col(Article.id)).label("cluster_id"),
    col(Article.source_id),
    # Articles ingested from files, or whose source was removed, count as press.
    func.coalesce(col(Source.official), false()).label("official"),
)


async def _with_tags(session: AsyncSession, rows: Sequence[Any]) -> list[WindowArticle]:
    tags = await tags_of(session, article_ids=[row.id for row in rows])
    return [WindowArticle._make((*row, *tags.get(row.id, ((), ())))) for row in rows]
