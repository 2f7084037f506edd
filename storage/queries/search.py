"""Full-text search behind one interface: FTS5 on SQLite, a tsvector index on PostgreSQL.

User words never reach the search syntax as typed: they are cut into letter-and-digit tokens,
which are quoted (FTS5) or passed as lexemes (tsquery), so no operator can be injected.

Both backends index one normal form (migration 0008), which the query words take as well:
lower case, ё as е, Latin letters without their diacritics (Özen as ozen), Kazakh Cyrillic
letters as they are (ә is not а), and any ASCII punctuation a word boundary, so "Бухар-Жырау"
and "gov.kz" are two words each on both (PostgreSQL's parser would otherwise add the compound
as one more word, shifting the positions a phrase counts on). On PostgreSQL that is the
`newsdigest_search` configuration: `simple` behind the `unaccent` dictionary.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

_TOKEN: Final = re.compile(r"[^\W_]+")
MIN_PREFIX: Final = 4  # shorter words match whole only, or "ai" would match half the corpus
CANDIDATE_CAP: Final = 2_000


def search_tokens(phrase: str) -> list[str]:
    """The searchable words of a phrase, lower-cased (ё folded to е)."""
    return [token.lower().replace("ё", "е") for token in _TOKEN.findall(phrase)][:16]


def fts5_query(tokens: Sequence[str]) -> str:
    """A phrase of quoted tokens; long tokens match as prefixes, so inflected forms match too."""
    parts = [f'"{token}"' + ("*" if len(token) >= MIN_PREFIX else "") for token in tokens]
    return " + ".join(parts)


def tsquery(tokens: Sequence[str]) -> str:
    """The same phrase for PostgreSQL's to_tsquery: adjacent lexemes, prefixes."""
    return " <-> ".join(token + (":*" if len(token) >= MIN_PREFIX else "") for token in tokens)


async def matching_ids(
    session: AsyncSession, *, phrase: str, after_id: int = 0, limit: int = CANDIDATE_CAP
) -> list[int]:
    """Ids of articles after `after_id` whose title or body contains the phrase, newest first.

    The full-text index is asked alone (no joins in the MATCH query), bounded by `limit`.
    """
    tokens = search_tokens(phrase)
    if not tokens:
        return []
    if session.get_bind().dialect.name == "sqlite":
        statement = text(
            "SELECT rowid FROM article_fts WHERE article_fts MATCH :query AND rowid > :after "
            "ORDER BY rowid DESC LIMIT :limit"
        )
        params: dict[str, object] = {"query": fts5_query(tokens), "after": after_id, "limit": limit}
    else:
        statement = text(
            "SELECT id FROM article WHERE search_vector @@ "
            "to_tsquery('newsdigest_search', :query) AND id > :after ORDER BY id DESC LIMIT :limit"
        )
        params = {"query": tsquery(tokens), "after": after_id, "limit": limit}
    rows = await session.execute(statement, params)
    return [int(row[0]) for row in rows]


async def ranked_ids(session: AsyncSession, *, words: str, limit: int) -> list[int]:
    """Best matches for a search box: every word must match; ranked by relevance, then recency.

    The candidate set is bounded first (newest CANDIDATE_CAP matches), then ranked, so very
    common words stay fast on a million articles.
    """
    tokens = search_tokens(words)
    if not tokens:
        return []
    if session.get_bind().dialect.name == "sqlite":
        match = " AND ".join(fts5_query([token]) for token in tokens)
        statement = text(
            "SELECT id FROM (SELECT rowid AS id, bm25(article_fts, 3.0, 1.0) AS score "
            "FROM article_fts WHERE article_fts MATCH :query ORDER BY rowid DESC LIMIT :cap) "
            "ORDER BY score, id DESC LIMIT :limit"
        )
        query = match
    else:
        statement = text(
            "SELECT id FROM (SELECT id, "
            "ts_rank(search_vector, to_tsquery('newsdigest_search', :query)) AS score "
            "FROM article WHERE search_vector @@ to_tsquery('newsdigest_search', :query) "
            "ORDER BY id DESC LIMIT :cap) AS candidates ORDER BY score DESC, id DESC LIMIT :limit"
        )
        query = " & ".join(tsquery([token]) for token in tokens)
    rows = await session.execute(statement, {"query": query, "cap": CANDIDATE_CAP, "limit": limit})
    return [int(row[0]) for row in rows]


async def article_matches(session: AsyncSession, *, article_id: int, phrase: str) -> bool:
    """Whether one article's title or body contains the phrase (as a digest keyword would)."""
    tokens = search_tokens(phrase)
    if not tokens:
        return False
    if session.get_bind().dialect.name == "sqlite":
        statement = text("SELECT 1 FROM article_fts WHERE article_fts MATCH :query AND rowid = :id")
        query = fts5_query(tokens)
    else:
        statement = text(
            "SELECT 1 FROM article WHERE id = :id "
            "AND search_vector @@ to_tsquery('newsdigest_search', :query)"
        )
        query = tsquery(tokens)
    found = await session.execute(statement, {"query": query, "id": article_id})
    return found.first() is not None
