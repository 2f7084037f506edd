"""Stored articles as digests take them: the one place a row becomes a `DigestArticle`."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.digest import DigestArticle
from storage.queries import digests as digest_queries
from storage.queries.digests import WindowArticle


def digest_article(row: WindowArticle) -> DigestArticle:
    """The digest's view of a stored article; `source` is who supplied it, for its share:
    the polled source, never the site of its link (a feed chooses its items' links), and ""
    for an article the operator ingested from a file, which no share limits."""
    return DigestArticle(
        id=row.id,
        title=row.title,
        summary=row.summary,
        source_url=row.source_url,
        language=row.language,
        published_at=row.published_at,
        regions=row.regions,
        topics=row.topics,
        cluster_id=row.cluster_id,
        source=f"source:{row.source_id}" if row.source_id is not None else "",
        official=row.official,
    )


async def articles_by_ids(session: AsyncSession, *, ids: Sequence[int]) -> list[DigestArticle]:
    """Articles by id, in the order given (missing ids are skipped): search results, /why."""
    return [digest_article(row) for row in await digest_queries.articles_by_ids(session, ids=ids)]
