"""Full-text search on both backends (FTS5 on SQLite, the generated tsvector on PostgreSQL)
finds the same articles for the same words: one normal form on both sides, whatever the case,
ё or е, a Latin letter's diacritics or the punctuation between words."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest
from sqlalchemy import text, update

from storage.engine import Database, create_database
from storage.migrate import upgrade_schema
from storage.models import Article
from storage.queries.search import article_matches, matching_ids, ranked_ids, search_tokens

NOW = datetime(2025, 1, 14, 6, 0, tzinfo=UTC)
# Sentences written for these tests: Russian with ё and a hyphenated place name, Kazakh in
# Cyrillic and in the Latin alphabet (with its diacritics), English with a domain name.
ARTICLES = {
    "ru": (
        "Ёлки на площади Жезказгана",
        "В районе Бухар-Жырау зажгли ещё одну ЁЛКУ, сообщил акимат.",
    ),
    "kk": ("Әкімдік жаңа мектеп ашты", "Қарағанды облысында ҰЛТТЫҚ кітапхана жөндеуден өтті."),
    "kk-latin": (
        "Ákimdik jańa mektep ashty",
        "Qaraǵandy oblysynda ULTTYQ kitaphana jóndeýden ótti.",
    ),
    "en": (
        "Water supply restored",
        "The utility posted the schedule on water.gov.kz/outages today.",
    ),
}


async def _store(database: Database) -> dict[str, int]:
    ids = {}
    async with database.write() as session:
        for key, (title, body) in ARTICLES.items():
            digest = hashlib.sha256(key.encode()).hexdigest()
            article = Article(
                canonical_url=f"https://search.example.kz/{key}",
                title=title,
                body=body,
                language=key[:2],
                content_hash=digest,
                published_at=NOW,
                ingested_at=NOW,
                updated_at=NOW,
            )
            session.add(article)
            await session.flush()
            assert article.id is not None
            ids[key] = article.id
    return ids


@pytest.fixture
async def stored(database: Database) -> dict[str, int]:
    return await _store(database)


async def _found(database: Database, phrase: str) -> set[int]:
    async with database.read() as session:
        return set((await matching_ids(session, phrases=[phrase]))[phrase])


@pytest.mark.parametrize(
    ("phrase", "key"),
    [
        ("ёлки", "ru"),  # the title's Ё, asked with ё
        ("елки", "ru"),  # and with е
        ("ЕЛКУ", "ru"),  # the body's upper-case ЁЛКУ
        ("ещё одну", "ru"),
        ("еще одну", "ru"),
        ("районе Бухар-Жырау", "ru"),  # a phrase across a hyphenated name
        ("районе бухар жырау зажгли", "ru"),
        ("Бухар", "ru"),
        ("әкімдік", "kk"),
        ("ҰЛТТЫҚ КІТАПХАНА", "kk"),
        ("ұлттық", "kk"),
        ("Қарағанды облысында", "kk"),
        ("Qaraǵandy", "kk-latin"),
        ("qaragandy", "kk-latin"),  # Latin letters match without their diacritics
        ("jondeyden", "kk-latin"),
        ("JÓNDEÝDEN", "kk-latin"),
        ("water gov kz outages", "en"),  # a domain and path are words like any other
        ("water.gov.kz/outages", "en"),
        ("gov.kz", "en"),
        ("restored", "en"),
    ],
)
async def test_a_word_finds_its_article_on_both_backends(
    database: Database, stored: dict[str, int], phrase: str, key: str
) -> None:
    assert await _found(database, phrase) == {stored[key]}
    async with database.read() as session:
        assert await article_matches(session, article_id=stored[key], phrase=phrase)
        assert await ranked_ids(session, words=phrase, limit=5) == [stored[key]]


@pytest.mark.parametrize(
    "phrase",
    [
        "кiтапхана",  # a Latin i in a Cyrillic word is another letter
        "акимдик",  # ә and а are different Kazakh letters, not a case or a diacritic
        "улттык",
        "бухар зажгли",  # a phrase is words next to each other
        "gov outages",
    ],
)
async def test_kazakh_letters_and_word_order_still_count(
    database: Database, stored: dict[str, int], phrase: str
) -> None:
    assert await _found(database, phrase) == set()


async def test_an_edited_article_is_found_by_its_new_words_only(
    database: Database, stored: dict[str, int]
) -> None:
    async with database.write() as session:
        await session.execute(
            update(Article).where(Article.id == stored["ru"]).values(body="Ёжик пришёл в сад.")  # type: ignore[arg-type]
        )
    assert await _found(database, "ежик пришел") == {stored["ru"]}
    assert await _found(database, "ёлку") == set()
    assert await _found(database, "ёлки") == {stored["ru"]}  # still in the title
    async with database.write() as session:
        await session.execute(text("DELETE FROM article WHERE id = :id"), {"id": stored["ru"]})
    assert await _found(database, "ёлки") == set()


def test_query_tokens_take_the_indexed_form() -> None:
    assert search_tokens("ЁЛКИ, Özen! gov.kz x_y ӘКІМ") == [
        "елки",
        "özen",  # the index drops the diacritic, and so does the query's own tokenizer
        "gov",
        "kz",
        "x",
        "y",
        "әкім",
    ]


async def test_the_migration_reindexes_articles_stored_before_it(own_database_url: str) -> None:
    database = create_database(own_database_url)
    try:
        await upgrade_schema(database, "0007")
        ids = await _store(database)
        await upgrade_schema(database)
        assert await _found(database, "елки") == {ids["ru"]}
        assert await _found(database, "районе бухар жырау") == {ids["ru"]}
        assert await _found(database, "qaragandy") == {ids["kk-latin"]}
    finally:
        await database.dispose()
