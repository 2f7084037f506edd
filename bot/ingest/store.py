"""Storing prepared articles: idempotent by canonical URL (else content hash), clustered.

Language versions of one story (one story key) join the cluster of its first stored version
whatever their text: a Kazakh and a Russian release share no words a signature could match.
Versions without a shared key (another outlet's retelling, a translation) meet through their
story facts: candidates share a band or fact key (both in `article_band`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import story_record
from bot.domain.cluster_index import CROWDED, ClusterIndex
from bot.metrics.registry import METRICS
from storage.engine import Database
from storage.queries import articles as article_queries
from storage.queries.articles import ArticleInput, ExistingArticle

BATCH_SIZE = 200


@dataclass
class StoreCounts:
    """What happened to each article offered for storage."""

    new: int = 0
    updated: int = 0
    duplicate: int = 0
    new_ids: list[int] = field(default_factory=list)

    def add(self, other: StoreCounts) -> None:
        self.new += other.new
        self.updated += other.updated
        self.duplicate += other.duplicate
        self.new_ids.extend(other.new_ids)


async def store_articles(
    database: Database, articles: Sequence[ArticleInput], *, now: datetime
) -> StoreCounts:
    """Store articles in batches, one write transaction each, so a crash loses at most a batch."""
    counts = StoreCounts()
    for start in range(0, len(articles), BATCH_SIZE):
        counts.add(await _store_batch(database, articles[start : start + BATCH_SIZE], now=now))
    return counts


async def _store_batch(
    database: Database, batch: Sequence[ArticleInput], *, now: datetime
) -> StoreCounts:
    counts = StoreCounts()
    async with database.write() as session:
        await article_queries.lock_for_ingest(session)
        existing = await article_queries.find_existing(
            session,
            canonical_urls=[a.canonical_url for a in batch if a.canonical_url],
            content_hashes=[a.content_hash for a in batch],
        )
        by_url = {row.canonical_url: row for row in existing if row.canonical_url}
        by_hash = {row.content_hash: row for row in existing}
        fresh: list[ArticleInput] = []
        seen_urls: set[str] = set()
        seen_hashes: set[str] = set()
        for article in batch:
            match = _existing_match(article, by_url, by_hash)
            if match is not None and match.content_hash != article.content_hash:
                await article_queries.update_article(
                    session, article_id=match.id, article=article, now=now
                )
                by_hash[article.content_hash] = match
                counts.updated += 1
            elif match is not None or _seen(article, seen_urls, seen_hashes):
                counts.duplicate += 1
            else:
                fresh.append(article)
            if article.canonical_url:
                seen_urls.add(article.canonical_url)
            seen_hashes.add(article.content_hash)
        ids = await article_queries.insert_articles(session, articles=fresh, now=now)
        await article_queries.set_clusters(
            session, clusters=await _clusters(session, list(zip(ids, fresh, strict=True)))
        )
        counts.new = len(ids)
        counts.new_ids = ids
    METRICS.articles_ingested.labels(outcome="new").inc(counts.new)
    METRICS.articles_ingested.labels(outcome="duplicate").inc(counts.duplicate + counts.updated)
    return counts


def _existing_match(
    article: ArticleInput,
    by_url: dict[str, ExistingArticle],
    by_hash: dict[str, ExistingArticle],
) -> ExistingArticle | None:
    """The stored article this one is: same canonical URL, or same text when it has no URL."""
    if article.canonical_url:
        return by_url.get(article.canonical_url)
    return by_hash.get(article.content_hash)


def _seen(article: ArticleInput, urls: set[str], hashes: set[str]) -> bool:
    if article.canonical_url:
        return article.canonical_url in urls
    return article.content_hash in hashes


async def _clusters(session: AsyncSession, rows: list[tuple[int, ArticleInput]]) -> dict[int, int]:
    """Cluster new articles against stored candidates sharing a band or fact key, then against
    each other; a version of a story already stored (or earlier in the batch) joins that
    story's cluster."""
    if not rows:
        return {}
    stories = await article_queries.clusters_by_story_key(
        session, keys=[article.story_key for _, article in rows if article.story_key]
    )
    keys = [key for _, article in rows for key in article.band_keys]
    # New articles are already inserted, but clustered below, in order.
    seen = {article_id for article_id, _ in rows}
    index = ClusterIndex()
    found = await article_queries.band_candidates(session, band_keys=keys, crowded=CROWDED)
    for candidates in found.values():
        for candidate in candidates:
            if candidate.id in seen:
                continue
            seen.add(candidate.id)
            sig, facts = story_record.decode(candidate.signature)
            index.restore(candidate.id, sig, candidate.cluster_id, facts)
    clusters: dict[int, int] = {}
    for article_id, article in rows:
        sig, facts = story_record.decode(article.signature)
        story = stories.get(article.story_key) if article.story_key else None
        if story is None:
            clusters[article_id] = index.add(article_id, sig, facts)
            if article.story_key:
                stories[article.story_key] = clusters[article_id]
        else:
            index.restore(article_id, sig, story, facts)  # so a retelling of it joins too
            clusters[article_id] = story
    return clusters
