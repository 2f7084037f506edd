"""The recent search index (migration 0009, SQLite) changes how fast search is, never what it
finds: the newest matches come from it when it holds enough of them and from the whole index
when it does not, and edits, deletions and housekeeping on either side of its bound keep both
indexes whole. PostgreSQL has one index: the same searches find the same articles there."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text, update

from bot.clock import FixedClock
from bot.commands.common import load_tagger
from bot.delivery.housekeeping import housekeeping
from bot.i18n import default_translator
from bot.services import Services
from bot.settings import Settings
from storage.engine import Database
from storage.models import Article
from storage.queries.search import (
    PHRASES_PER_STATEMENT,
    article_matches,
    matching_ids,
    ranked_ids,
    recent_bound,
    trim_recent,
)

NOW = datetime(2025, 3, 4, 6, 0, tzinfo=UTC)


def _text(number: int) -> tuple[str, str]:
    """Article `number`'s title and body, written for these tests: every article tells of
    water; the first three also of the archive, the even ones of a water main."""
    title = f"Сводка акимата номер {number}"
    body = "Подача воды в районе восстановлена."
    if number < 3:
        body += " Архив сводок открыт."
    if number % 2 == 0:
        body += " Водопровод заменён."
    return title, body


def _article(key: str, title: str, body: str, article_id: int | None = None) -> Article:
    return Article(
        id=article_id,
        canonical_url=f"https://recent.example.kz/{key}",
        title=title,
        body=body,
        language="ru",
        content_hash=key.rjust(64, "0"),
        published_at=NOW,
        ingested_at=NOW,
        updated_at=NOW,
    )


async def _store(database: Database, count: int) -> list[int]:
    """`count` articles, oldest first; their ids."""
    async with database.write() as session:
        articles = [_article(str(number), *_text(number)) for number in range(count)]
        session.add_all(articles)
        await session.flush()
        return [article.id for article in articles if article.id is not None]


async def _trim(database: Database, keep: int) -> int:
    async with database.write() as session:
        return await trim_recent(session, keep=keep)


def _bound(database: Database, sqlite_bound: int) -> int:
    """The bound trimming leaves: PostgreSQL has no recent index, so its bound stays 0."""
    return sqlite_bound if database.dialect == "sqlite" else 0


async def _matching(database: Database, phrase: str, **bounds: int) -> list[int]:
    async with database.read() as session:
        return (await matching_ids(session, phrases=[phrase], **bounds))[phrase]


async def _assert_indexes_whole(database: Database) -> None:
    """FTS5's own check of each index's structure (rank 0: not against the article table,
    whose text the triggers index in its folded form)."""
    if database.dialect != "sqlite":
        return
    async with database.write() as session:
        for index in ("article_fts", "article_fts_recent"):
            await session.execute(
                text(f"INSERT INTO {index}({index}, rank) VALUES ('integrity-check', 0)")  # noqa: S608
            )


async def test_the_newest_matches_are_the_same_whichever_index_answers(
    database: Database,
) -> None:
    ids = await _store(database, 12)
    assert await _trim(database, keep=4) == _bound(
        database, ids[7]
    )  # the newest four ids stay recent
    newest_first = ids[::-1]
    assert await _matching(database, "воды", limit=3) == newest_first[:3]  # the recent index
    assert await _matching(database, "воды", limit=10) == newest_first[:10]  # and the whole
    assert await _matching(database, "воды", after_id=ids[5]) == newest_first[:6]
    assert await _matching(database, "архив") == [ids[2], ids[1], ids[0]]  # only old ones
    assert await _matching(database, "водопровод") == newest_first[1::2]
    async with database.read() as session:
        assert sorted(await ranked_ids(session, words="архив сводок", limit=5)) == ids[:3]
        assert len(await ranked_ids(session, words="воды", limit=20)) == 12
        assert await article_matches(session, article_id=ids[0], phrase="архив")
        assert await article_matches(session, article_id=ids[11], phrase="подача воды")
        assert not await article_matches(session, article_id=ids[11], phrase="архив")


async def test_edits_and_deletions_on_both_sides_of_the_bound_keep_both_indexes_whole(
    database: Database,
) -> None:
    ids = await _store(database, 6)
    await _trim(database, keep=3)  # ids[3:] are recent
    async with database.write() as session:
        for article_id, body in ((ids[1], "Ёлка у старой школы."), (ids[4], "Ёлка у новой школы.")):
            await session.execute(
                update(Article).where(Article.id == article_id).values(body=body)  # type: ignore[arg-type]
            )
        for article_id in (ids[0], ids[5]):
            await session.execute(text("DELETE FROM article WHERE id = :id"), {"id": article_id})
    await _assert_indexes_whole(database)
    assert await _matching(database, "елка") == [ids[4], ids[1]]
    assert await _matching(database, "воды") == [ids[3], ids[2]]
    assert await _matching(database, "архив") == [ids[2]]
    assert await _trim(database, keep=1) == _bound(database, ids[3])  # the newest id left is ids[4]
    await _assert_indexes_whole(database)
    assert await _matching(database, "елка") == [ids[4], ids[1]]
    assert await _matching(database, "воды") == [ids[3], ids[2]]


async def test_the_bound_only_rises_and_new_articles_land_above_it(database: Database) -> None:
    ids = await _store(database, 5)
    assert await _trim(database, keep=2) == _bound(database, ids[2])
    # Never lowered: the older articles are gone from the recent index.
    assert await _trim(database, keep=100) == _bound(database, ids[2])
    more = await _store_later(database)
    async with database.read() as session:
        assert await recent_bound(session) == _bound(database, ids[2])
        assert await matching_ids(session, phrases=["паводок"], limit=1) == {"паводок": [more]}


async def _store_later(database: Database, *, article_id: int | None = None) -> int:
    async with database.write() as session:
        article = _article("later", "Паводок отступил", "Вода ушла из посёлка.", article_id)
        session.add(article)
        await session.flush()
        assert article.id is not None
        return article.id


async def test_housekeeping_keeps_the_newest_hundred_thousand_ids_recent(
    database: Database,
) -> None:
    ids = await _store(database, 3)
    later = await _store_later(database, article_id=200_005)
    settings = Settings(_env_file=None)
    services = Services(database, FixedClock(NOW), settings, default_translator(), load_tagger())
    await housekeeping(services)
    await _assert_indexes_whole(database)
    async with database.read() as session:
        assert await recent_bound(session) == _bound(database, 100_005)
        assert await matching_ids(session, phrases=["паводок"]) == {"паводок": [later]}
        assert await matching_ids(session, phrases=["сводка"]) == {"сводка": ids[::-1]}


async def test_many_phrases_are_searched_together_each_with_its_own_answer(
    database: Database,
) -> None:
    ids = await _store(database, 12)
    await _trim(database, keep=4)  # "воды" fills five from the recent index, "архив" cannot
    strangers = [f"слово{number}" for number in range(PHRASES_PER_STATEMENT + 20)]
    phrases = ["воды", "архив", "водопровод", "!!!", *strangers]
    async with database.read() as session:
        found = await matching_ids(session, phrases=phrases, limit=5, after_id=ids[0])
    assert found["воды"] == ids[:6:-1]
    assert found["архив"] == [ids[2], ids[1]]  # after ids[0], from the whole index
    assert found["водопровод"] == [ids[10], ids[8], ids[6], ids[4], ids[2]]
    assert found["!!!"] == []  # no words: nothing asked
    assert all(found[stranger] == [] for stranger in strangers)
    assert set(found) == set(phrases)
