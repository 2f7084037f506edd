"""Full-text search behind one interface: FTS5 on SQLite, a tsvector index on PostgreSQL.

User words never reach the search syntax as typed: they are cut into letter-and-digit tokens,
which are quoted (FTS5) or passed as lexemes (tsquery), so no operator can be injected.

Both backends index one normal form (migration 0008), which the query words take as well:
lower case, ё as е, Latin letters without their diacritics (Özen as ozen), Kazakh Cyrillic
letters as they are (ә is not а), and any ASCII punctuation a word boundary, so "Бухар-Жырау"
and "gov.kz" are two words each on both (PostgreSQL's parser would otherwise add the compound
as one more word, shifting the positions a phrase counts on). On PostgreSQL that is the
`newsdigest_search` configuration: `simple` behind the `unaccent` dictionary.

On SQLite the newest matches are asked of the newest articles first (migration 0009): a second
FTS5 index holds only the articles above `search_recent_bound`. A common word then costs what
it costs among ~100,000 articles, not a million (FTS5 merges a prefix's whole doclist before it
returns a row); a rarer word, too rare to fill the answer there, is asked of the whole index,
where it is cheap because it is rare. PostgreSQL has one index (GIN finds a prefix's newest
matches without that merge).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from typing import Final

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

_TOKEN: Final = re.compile(r"[^\W_]+")
MIN_PREFIX: Final = 4  # shorter words match whole only, or "ai" would match half the corpus
CANDIDATE_CAP: Final = 2_000
PHRASES_PER_STATEMENT: Final = 100  # under SQLite's 500 terms of a compound SELECT
RECENT_ARTICLES: Final = 100_000  # the newest article ids the small index keeps (housekeeping)
# The two FTS5 indexes' names go into statements as text (S608 is silenced for them alone);
# user words only ever go in as bound parameters.
FULL_INDEX: Final = "article_fts"
RECENT_INDEX: Final = "article_fts_recent"


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


async def recent_bound(session: AsyncSession) -> int:
    """The id above which every article is in the recent index (0, or no row: all of them;
    always 0 on PostgreSQL, whose one index is the recent one too)."""
    if session.get_bind().dialect.name != "sqlite":
        return 0
    found = await session.execute(text("SELECT after_id FROM search_recent_bound"))
    return int(found.scalar_one_or_none() or 0)


async def matching_ids(
    session: AsyncSession,
    *,
    phrases: Collection[str],
    after_id: int = 0,
    limit: int = CANDIDATE_CAP,
) -> dict[str, list[int]]:
    """For each phrase, the ids of articles after `after_id` whose title or body contains it,
    newest first, at most `limit`.

    The full-text index is asked alone (no joins in the MATCH query), every phrase in one
    statement (a digest tick's keywords and exclusions cost one round trip, not one each):
    the recent index first, the whole one only for a phrase the recent articles hold fewer
    than `limit` matches of when older ones were asked for.
    """
    found: dict[str, list[int]] = {phrase: [] for phrase in phrases}
    searchable = {phrase: words for phrase in phrases if (words := search_tokens(phrase))}
    if not searchable:
        return found
    bound = await recent_bound(session)
    newest = await _matching(session, searchable, after_id=max(after_id, bound), limit=limit)
    found.update(newest)
    if after_id < bound:
        short = {phrase: searchable[phrase] for phrase, ids in newest.items() if len(ids) < limit}
        if short:
            found.update(await _matching(session, short, after_id=after_id, limit=limit, full=True))
    return found


async def _matching(
    session: AsyncSession,
    phrases: dict[str, list[str]],
    *,
    after_id: int,
    limit: int,
    full: bool = False,
) -> dict[str, list[int]]:
    """Each phrase's newest matches, `PHRASES_PER_STATEMENT` phrases to a statement (one
    limited subquery each, joined by UNION ALL)."""
    sqlite = session.get_bind().dialect.name == "sqlite"
    index = FULL_INDEX if full else RECENT_INDEX
    found: dict[str, list[int]] = {phrase: [] for phrase in phrases}
    ordered = list(phrases)
    for start in range(0, len(ordered), PHRASES_PER_STATEMENT):
        chunk = ordered[start : start + PHRASES_PER_STATEMENT]
        params: dict[str, object] = {"after": after_id, "limit": limit}
        selects = []
        for number, phrase in enumerate(chunk):
            if sqlite:
                params[f"q{number}"] = fts5_query(phrases[phrase])
                selects.append(
                    f"SELECT {number} AS phrase, id FROM (SELECT rowid AS id FROM {index} "  # noqa: S608
                    f"WHERE {index} MATCH :q{number} AND rowid > :after "
                    "ORDER BY rowid DESC LIMIT :limit)"
                )
            else:
                params[f"q{number}"] = tsquery(phrases[phrase])
                selects.append(
                    f"(SELECT {number} AS phrase, id FROM article WHERE search_vector @@ "  # noqa: S608
                    f"to_tsquery('newsdigest_search', :q{number}) AND id > :after "
                    "ORDER BY id DESC LIMIT :limit)"
                )
        rows = await session.execute(text(" UNION ALL ".join(selects)), params)
        for number, article_id in rows:
            found[chunk[number]].append(int(article_id))
    for ids in found.values():  # a compound statement promises no order: newest first again
        ids.sort(reverse=True)
    return found


async def ranked_ids(session: AsyncSession, *, words: str, limit: int) -> list[int]:
    """Best matches for a search box: every word must match; ranked by relevance, then recency.

    The candidate set is bounded first (newest CANDIDATE_CAP matches), then ranked, so very
    common words stay fast on a million articles: the candidates come from the recent index
    when it holds that many, else from the whole one. (Relevance weighs a word by how rare it
    is among the articles asked, so it can order the same candidates a little differently.)
    """
    tokens = search_tokens(words)
    if not tokens:
        return []
    bound = await recent_bound(session)
    best, candidates = await _ranked(session, tokens, limit=limit, after_id=bound)
    if candidates >= CANDIDATE_CAP or bound == 0:
        return best
    best, _ = await _ranked(session, tokens, limit=limit, after_id=0, full=True)
    return best


async def _ranked(
    session: AsyncSession, tokens: list[str], *, limit: int, after_id: int, full: bool = False
) -> tuple[list[int], int]:
    """The best `limit` of the newest candidates above `after_id`, and how many candidates."""
    if session.get_bind().dialect.name == "sqlite":
        index = FULL_INDEX if full else RECENT_INDEX
        candidates = (
            f"SELECT rowid AS id, bm25({index}, 3.0, 1.0) AS score FROM {index} "  # noqa: S608
            f"WHERE {index} MATCH :query AND rowid > :after ORDER BY rowid DESC LIMIT :cap"
        )
        best_first = "score, id DESC"
        query = " AND ".join(fts5_query([token]) for token in tokens)
    else:
        candidates = (
            "SELECT id, ts_rank(search_vector, to_tsquery('newsdigest_search', :query)) AS score "
            "FROM article WHERE search_vector @@ to_tsquery('newsdigest_search', :query) "
            "AND id > :after ORDER BY id DESC LIMIT :cap"
        )
        best_first = "score DESC, id DESC"
        query = " & ".join(tsquery([token]) for token in tokens)
    statement = text(
        f"WITH candidates AS MATERIALIZED ({candidates}) "  # noqa: S608
        "SELECT id, (SELECT count(*) FROM candidates) AS candidates FROM candidates "
        f"ORDER BY {best_first} LIMIT :limit"
    )
    params = {"query": query, "after": after_id, "cap": CANDIDATE_CAP, "limit": limit}
    rows = (await session.execute(statement, params)).all()
    return [int(row[0]) for row in rows], int(rows[0][1]) if rows else 0


async def article_matches(session: AsyncSession, *, article_id: int, phrase: str) -> bool:
    """Whether one article's title or body contains the phrase (as a digest keyword would)."""
    tokens = search_tokens(phrase)
    if not tokens:
        return False
    if session.get_bind().dialect.name == "sqlite":
        index = RECENT_INDEX if article_id > await recent_bound(session) else FULL_INDEX
        statement = text(f"SELECT 1 FROM {index} WHERE {index} MATCH :query AND rowid = :id")  # noqa: S608
        query = fts5_query(tokens)
    else:
        statement = text(
            "SELECT 1 FROM article WHERE id = :id "
            "AND search_vector @@ to_tsquery('newsdigest_search', :query)"
        )
        query = tsquery(tokens)
    found = await session.execute(statement, {"query": query, "id": article_id})
    return found.first() is not None


async def trim_recent(session: AsyncSession, *, keep: int = RECENT_ARTICLES) -> int:
    """Raise the recent index's bound to keep about the newest `keep` article ids, taking
    the older articles out of it; the new bound (always 0 on PostgreSQL, which has one
    index). Housekeeping calls it daily."""
    if session.get_bind().dialect.name != "sqlite":
        return 0
    bound = await recent_bound(session)
    newest = (await session.execute(text("SELECT max(id) FROM article"))).scalar_one_or_none()
    raised = max(bound_keeping(newest, keep=keep), bound)
    if raised == bound:
        return bound
    await session.execute(
        text(
            f"INSERT INTO {RECENT_INDEX}({RECENT_INDEX}, rowid, title, body) "  # noqa: S608
            f"SELECT 'delete', id, {_yo('title')}, {_yo('body')} FROM article "
            "WHERE id > :bound AND id <= :raised"
        ),
        {"bound": bound, "raised": raised},
    )
    await place_recent_bound(session, after_id=raised)
    return raised


def bound_keeping(newest_id: int | None, *, keep: int = RECENT_ARTICLES) -> int:
    """The bound that keeps the newest `keep` ids (up to `newest_id`) in the recent index."""
    return max((newest_id or 0) - keep, 0)


async def place_recent_bound(executor: AsyncSession | AsyncConnection, *, after_id: int) -> None:
    """Set the bound itself (SQLite), with no article above it indexed yet or none below it
    left: `trim_recent` once it has taken the older ones out, or `db copy` into an empty
    database before the articles go in (so only the newest go into the recent index)."""
    await executor.execute(
        text(
            "INSERT INTO search_recent_bound (id, after_id) VALUES (1, :after) "
            "ON CONFLICT (id) DO UPDATE SET after_id = excluded.after_id"
        ),
        {"after": after_id},
    )


def _yo(column: str) -> str:
    """ё folded to е in SQL, as the SQLite triggers index a column (migrations 0008, 0009)."""
    return f"replace(replace({column}, 'ё', 'е'), 'Ё', 'е')"
