"""Article queries: batch upsert with tags and near-duplicate index, listing, lookups."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlalchemy import Select, delete, func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import Article, ArticleBand, ArticleRegion, ArticleSignature, ArticleTopic

_T = TypeVar("_T")
_CHUNK = 500  # parameters per IN (...) stay far under SQLite's limit


@dataclass(frozen=True, slots=True)
class ArticleInput:
    """Everything stored for one article, as the ingest pipeline prepared it."""

    title: str
    raw_title: str
    body: str
    summary: str
    source_url: str | None
    canonical_url: str | None
    site_name: str
    language: str
    content_hash: str
    published_at: datetime
    published_precision: str
    regions: tuple[str, ...]
    topics: tuple[str, ...]
    signature: bytes  # the text signature and the story facts (bot/domain/story_record.py)
    band_keys: tuple[int, ...]  # MinHash band keys and story-fact keys: the candidate index
    source_id: int | None = None
    # Shared by the language versions of one story ("govkz:<entity>:<id>"), which share a cluster.
    story_key: str | None = None
    # An urgent article's alert category and, when its text says, its event's start and end.
    alert_category: str | None = None
    alert_starts_at: datetime | None = None
    alert_ends_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ExistingArticle:
    """What an upsert needs to know of an article already stored."""

    id: int
    canonical_url: str | None
    content_hash: str
    cluster_id: int | None


@dataclass(frozen=True, slots=True)
class Candidate:
    """A stored article that shares an LSH band or a story-fact key with a new one."""

    id: int
    cluster_id: int
    signature: bytes


async def lock_for_ingest(session: AsyncSession) -> None:
    """Serialise ingest transactions so article ids commit in id order.

    Watermarks point into the id sequence; on PostgreSQL a lower id could otherwise commit
    after a higher one and be skipped. SQLite already serialises writers (BEGIN IMMEDIATE).
    """
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("LOCK TABLE article IN SHARE ROW EXCLUSIVE MODE"))


async def find_existing(
    session: AsyncSession, *, canonical_urls: Iterable[str], content_hashes: Iterable[str]
) -> list[ExistingArticle]:
    """Stored articles with any of these canonical URLs or content hashes."""
    found: dict[int, ExistingArticle] = {}
    query = select(
        col(Article.id),
        col(Article.canonical_url),
        col(Article.content_hash),
        col(Article.cluster_id),
    )
    for column, values in (
        (col(Article.canonical_url), sorted(set(canonical_urls))),
        (col(Article.content_hash), sorted(set(content_hashes))),
    ):
        for chunk in _chunks(values):
            rows = await session.execute(query.where(column.in_(chunk)))
            for row in rows:
                found[row.id] = ExistingArticle(
                    row.id, row.canonical_url, row.content_hash, row.cluster_id
                )
    return list(found.values())


async def band_candidates(
    session: AsyncSession, *, band_keys: Iterable[int], crowded: int = 16
) -> dict[int, list[Candidate]]:
    """Stored articles sharing each band or fact key: the near-duplicate candidates, by key.

    A key shared by `crowded` articles or more is boilerplate, not a story, and is skipped,
    so the candidate set stays small however large the archive grows.
    """
    keys = sorted(set(band_keys))
    by_key: dict[int, list[Candidate]] = {}
    for chunk in _chunks(keys):
        rows = await session.execute(
            select(
                col(ArticleBand.band_key),
                col(Article.id),
                col(Article.cluster_id),
                col(ArticleSignature.signature),
            )
            .join(ArticleBand, col(ArticleBand.article_id) == col(Article.id))
            .join(ArticleSignature, col(ArticleSignature.article_id) == col(Article.id))
            .where(col(ArticleBand.band_key).in_(chunk))
            .where(col(ArticleBand.band_key).not_in(_crowded(chunk, crowded)))
        )
        for key, article_id, cluster_id, signature in rows:
            by_key.setdefault(key, []).append(
                Candidate(_present(article_id), cluster_id or _present(article_id), signature)
            )
    return by_key


async def cluster_signatures(
    session: AsyncSession, *, cluster_id: int, limit: int = 20
) -> list[tuple[int, bytes]]:
    """(id, signature BLOB) of the articles of a near-duplicate cluster, oldest first, at most
    `limit`: what tied a story's versions together is read from them."""
    rows = await session.execute(
        select(col(Article.id), col(ArticleSignature.signature))
        .join(ArticleSignature, col(ArticleSignature.article_id) == col(Article.id))
        .where(col(Article.cluster_id) == cluster_id)
        .order_by(col(Article.id))
        .limit(limit)
    )
    return [(_present(article_id), signature) for article_id, signature in rows]


async def clusters_by_story_key(session: AsyncSession, *, keys: Iterable[str]) -> dict[str, int]:
    """The cluster of each story key's stored versions (its first version's, should they
    differ); keys with no clustered version yet are absent. One query per 500 keys."""
    found: dict[str, int] = {}
    for chunk in _chunks(sorted(set(keys))):
        rows = await session.execute(
            select(col(Article.story_key), col(Article.cluster_id))
            .where(col(Article.story_key).in_(chunk))
            .where(col(Article.cluster_id).is_not(None))
            .order_by(col(Article.id))
        )
        for key, cluster_id in rows:
            if key is not None and cluster_id is not None:  # as filtered: for the type checker
                found.setdefault(key, cluster_id)
    return found


async def insert_articles(
    session: AsyncSession, *, articles: Sequence[ArticleInput], now: datetime
) -> list[int]:
    """Insert articles with their tags and signatures in a few batched statements; their ids."""
    if not articles:
        return []
    result = await session.execute(
        insert(Article).returning(col(Article.id), sort_by_parameter_order=True),
        [
            {**_article_columns(article), "ingested_at": now, "updated_at": now}
            for article in articles
        ],
    )
    ids = [_present(article_id) for article_id in result.scalars().all()]
    await _write_tags_and_signatures(session, rows=list(zip(ids, articles, strict=True)))
    return ids


async def update_article(
    session: AsyncSession, *, article_id: int, article: ArticleInput, now: datetime
) -> None:
    """Replace an article's text, tags and signature in place (same id, same cluster)."""
    await session.execute(
        update(Article)
        .where(col(Article.id) == article_id)
        .values(**_article_columns(article), updated_at=now)
    )
    for table in (ArticleRegion, ArticleTopic, ArticleSignature, ArticleBand):
        await session.execute(delete(table).where(text("article_id = :id")), {"id": article_id})
    await _write_tags_and_signatures(session, rows=[(article_id, article)])


async def set_clusters(session: AsyncSession, *, clusters: dict[int, int]) -> None:
    """Assign near-duplicate clusters (article id → cluster id) in one batched statement."""
    if clusters:
        # ORM bulk UPDATE by primary key: one executemany, rows matched on `id`.
        await session.execute(
            update(Article), [{"id": key, "cluster_id": value} for key, value in clusters.items()]
        )


async def newest_articles(session: AsyncSession, *, limit: int) -> Sequence[Article]:
    """The most recently published articles, newest first."""
    rows = await session.execute(
        select(Article)
        .order_by(col(Article.published_at).desc(), col(Article.id).desc())
        .limit(limit)
    )
    return rows.scalars().all()


async def tags_of(
    session: AsyncSession, *, article_ids: Sequence[int]
) -> dict[int, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Regions and topics of each article, main one first."""
    tags: dict[int, tuple[list[str], list[str]]] = {key: ([], []) for key in article_ids}
    links = (
        (0, col(ArticleRegion.article_id), col(ArticleRegion.region), col(ArticleRegion.rank)),
        (1, col(ArticleTopic.article_id), col(ArticleTopic.topic), col(ArticleTopic.rank)),
    )
    for chunk in _chunks(list(article_ids)):
        for slot, owner, label, rank in links:
            rows = await session.execute(
                select(owner, label).where(owner.in_(chunk)).order_by(owner, rank)
            )
            for article_id, value in rows:
                tags[article_id][slot].append(value)
    return {key: (tuple(value[0]), tuple(value[1])) for key, value in tags.items()}


def _article_columns(article: ArticleInput) -> dict[str, object]:
    return {
        "source_id": article.source_id,
        "canonical_url": article.canonical_url,
        "source_url": article.source_url,
        "site_name": article.site_name,
        "title": article.title,
        "raw_title": article.raw_title,
        "body": article.body,
        "summary": article.summary,
        "language": article.language,
        "content_hash": article.content_hash,
        "published_at": article.published_at,
        "published_precision": article.published_precision,
        "story_key": article.story_key,
        "alert_category": article.alert_category,
        "alert_starts_at": article.alert_starts_at,
        "alert_ends_at": article.alert_ends_at,
    }


async def _write_tags_and_signatures(
    session: AsyncSession, *, rows: list[tuple[int, ArticleInput]]
) -> None:
    regions = [
        {"article_id": article_id, "region": slug, "rank": rank}
        for article_id, article in rows
        for rank, slug in enumerate(article.regions)
    ]
    topics = [
        {"article_id": article_id, "topic": slug, "rank": rank}
        for article_id, article in rows
        for rank, slug in enumerate(article.topics)
    ]
    signatures = [
        {"article_id": article_id, "signature": article.signature} for article_id, article in rows
    ]
    bands = [
        {"band_key": key, "article_id": article_id}
        for article_id, article in rows
        for key in sorted(set(article.band_keys))
    ]
    for table, values in (
        (ArticleRegion, regions),
        (ArticleTopic, topics),
        (ArticleSignature, signatures),
        (ArticleBand, bands),
    ):
        if values:
            await session.execute(insert(table), values)


def _crowded(keys: Sequence[int], crowded: int) -> Select[int]:
    return (
        select(col(ArticleBand.band_key))
        .where(col(ArticleBand.band_key).in_(keys))
        .group_by(col(ArticleBand.band_key))
        .having(func.count() >= crowded)
    )


def _present(value: int | None) -> int:
    """A primary key read back from the database (typed optional only before insertion)."""
    if value is None:
        raise RuntimeError("the database returned a row without an id")
    return value


def _chunks(values: Sequence[_T]) -> Iterable[Sequence[_T]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]
