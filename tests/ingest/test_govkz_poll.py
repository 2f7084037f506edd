"""Polling a gov.kz source against a local API stand-in into a real database: three language
versions of each release stored as one story, refusals as the source's health, and a digest
that shows each release once, in the reader's language."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlalchemy import select
from sqlmodel import col

from bot.clock import FixedClock
from bot.commands.common import load_tagger
from bot.digests.preview import compose_digest, render
from bot.digests.window import bounds_recent
from bot.domain.digest import Digest, Interests
from bot.i18n import default_translator
from bot.ingest.parse_worker import ParsingPool
from bot.ingest.poller import MAX_ITEMS_PER_POLL, SourcePoller
from bot.ingest.source_health import PollResult
from bot.ingest.source_parsing import PrepareContext, prepare_govkz
from bot.ingest.store import store_articles
from bot.services import Services
from bot.settings import Settings
from bot.usecases import sources as source_use
from storage.engine import Database
from storage.models import Article, Source
from storage.queries import articles as article_queries
from storage.queries import sources as source_queries
from tests.ingest.govkz_api import (
    API,
    ENTITY_URL,
    HTML_PAGE,
    NO_PLACE_ID,
    RELEASE_IDS,
    TITLES,
    json_answer,
    release_page,
    releases,
    serve,
)
from tests.ingest.http_server import Handler, LocalServer, respond

NOW = datetime(2025, 3, 12, 9, 0, tzinfo=UTC)
TAGGER = load_tagger()


@pytest.fixture
def services(database: Database, server: LocalServer) -> Services:
    settings = Settings(_env_file=None, govkz_api_url=server.url(API))
    return Services(database, FixedClock(NOW), settings, default_translator(), TAGGER)


async def _poll(
    services: Services,
    client: httpx.AsyncClient,
    pool: ParsingPool,
    server: LocalServer,
    **answers: Handler,
) -> tuple[int, PollResult]:
    serve(server, answers)
    async with services.database.write() as session:
        source = await source_use.add_source(session, services, url=ENTITY_URL)
    assert source.id is not None
    return source.id, await SourcePoller(services, client, pool).poll(source.id)


async def _stored(services: Services) -> list[Article]:
    async with services.database.read() as session:
        rows = await session.execute(select(Article).order_by(col(Article.id)))
        return list(rows.scalars().all())


async def _source(services: Services, source_id: int) -> Source:
    async with services.database.read() as session:
        found = await source_queries.get(session, source_id=source_id)
    assert found is not None
    return found


async def test_each_release_is_stored_in_three_languages_as_one_story(
    services: Services, client: httpx.AsyncClient, server: LocalServer, parsing_pool: ParsingPool
) -> None:
    source_id, result = await _poll(services, client, parsing_pool, server, **releases())
    assert (result.status, result.new) == ("ok", 9)
    hits = server.hits(f"{API}/news")
    assert [parse_qs(urlsplit(hit.target).query) for hit in hits] == [
        {
            "sort-by": ["created_date:DESC"],
            "projects": ["eq:pavlodar"],
            "page": ["1"],
            "size": ["20"],
            "lang": [language],
        }
        for language in ("ru", "kk", "en")
    ]
    assert [hit.headers.get("accept-language") for hit in hits] == ["ru", "kk", "en"]
    articles = await _stored(services)
    for release_id in RELEASE_IDS:
        versions = [a for a in articles if a.story_key == f"govkz:pavlodar:{release_id}"]
        assert sorted(a.language for a in versions) == ["en", "kk", "ru"]
        assert len({a.cluster_id for a in versions}) == 1, release_id
        assert {a.source_id for a in versions} == {source_id}
    assert len({a.cluster_id for a in articles}) == 3, "three stories, not one"
    source = await _source(services, source_id)
    assert source.official and source.kind == "govkz" and source.last_error is None
    again = await SourcePoller(services, client, parsing_pool).poll(source_id)
    assert (again.status, again.new) == ("ok", 0), "stored once, by canonical URL"


async def test_a_version_published_later_joins_its_story(
    services: Services, client: httpx.AsyncClient, server: LocalServer, parsing_pool: ParsingPool
) -> None:
    refused = respond(403, b"Forbidden")
    source_id, first = await _poll(
        services, client, parsing_pool, server, ru=releases()["ru"], kk=refused, en=refused
    )
    assert (first.status, first.new) == ("ok", 3), "what worked is stored, nothing recorded"
    assert (await _source(services, source_id)).last_error is None
    serve(server, releases())
    second = await SourcePoller(services, client, parsing_pool).poll(source_id)
    assert second.new == 6
    articles = await _stored(services)
    async with services.database.read() as session:
        keys = [f"govkz:pavlodar:{i}" for i in RELEASE_IDS]
        clusters = await article_queries.clusters_by_story_key(session, keys=keys)
    for article in articles:
        assert article.story_key is not None
        assert article.cluster_id == clusters[article.story_key]
    assert sorted(clusters.values()) == sorted(a.id or 0 for a in articles if a.language == "ru")


async def test_versions_share_a_cluster_within_a_batch_and_across_batches(
    database: Database,
) -> None:
    context = PrepareContext("gov.kz", None, NOW, "en", "Asia/Almaty", 200)
    versions = {
        language: prepare_govkz(
            release_page(language), slug="pavlodar", language=language, context=context
        ).inputs
        for language in ("ru", "kk", "en")
    }
    first = await store_articles(database, versions["kk"], now=NOW)
    later = await store_articles(database, [*versions["ru"], *versions["en"]], now=NOW)
    assert (first.new, later.new) == (3, 6)
    async with database.read() as session:
        query = select(col(Article.story_key), col(Article.cluster_id))
        rows = (await session.execute(query)).all()
    clusters: dict[str | None, set[int | None]] = {}
    for key, cluster in rows:
        clusters.setdefault(key, set()).add(cluster)
    # Every version is in the cluster of the story's first stored version (here the Kazakh).
    assert clusters == {
        f"govkz:pavlodar:{release_id}": {first_id}
        for release_id, first_id in zip(RELEASE_IDS, first.new_ids, strict=True)
    }


async def test_the_region_of_a_release_naming_no_place_is_the_akimat_s(
    services: Services, client: httpx.AsyncClient, server: LocalServer, parsing_pool: ParsingPool
) -> None:
    await _poll(services, client, parsing_pool, server, **releases())
    versions = [
        a for a in await _stored(services) if a.story_key == f"govkz:pavlodar:{NO_PLACE_ID}"
    ]
    async with services.database.read() as session:
        tags = await article_queries.tags_of(session, article_ids=[a.id or 0 for a in versions])
    assert {regions for regions, _ in tags.values()} == {("pavlodar",)}


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (respond(401, b'{"error": "Unauthorized"}'), "govkz.refused"),
        (respond(403, HTML_PAGE, headers=[("Content-Type", "text/html")]), "govkz.refused"),
        (respond(200, HTML_PAGE, headers=[("Content-Type", "text/html")]), "govkz.not_json"),
        (json_answer(b'{"error": "hash and token required"}'), "govkz.not_json"),
        (json_answer(b"[]"), "govkz.empty"),
        (respond(503, b"down"), "fetch.http_503"),
    ],
)
async def test_an_api_that_refuses_is_the_source_s_one_clear_failure(
    services: Services,
    client: httpx.AsyncClient,
    server: LocalServer,
    parsing_pool: ParsingPool,
    answer: Handler,
    reason: str,
) -> None:
    source_id, result = await _poll(
        services, client, parsing_pool, server, ru=answer, kk=answer, en=answer
    )
    assert (result.status, result.reason) == ("error", reason)
    source = await _source(services, source_id)
    assert (source.last_error, source.consecutive_failures) == (reason, 1)
    assert await _stored(services) == []


async def test_the_first_real_failure_is_the_reason(
    services: Services, client: httpx.AsyncClient, server: LocalServer, parsing_pool: ParsingPool
) -> None:
    _, result = await _poll(
        services,
        client,
        parsing_pool,
        server,
        ru=json_answer(b"[]"),
        kk=respond(200, HTML_PAGE),
        en=respond(403, b""),
    )
    assert result.reason == "govkz.not_json", "an empty list only when every list was empty"


async def test_a_language_that_fails_is_logged_and_the_others_stored(
    services: Services,
    client: httpx.AsyncClient,
    server: LocalServer,
    parsing_pool: ParsingPool,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.ingest.source_reader")
    answers = releases() | {"kk": respond(200, HTML_PAGE)}
    _, result = await _poll(services, client, parsing_pool, server, **answers)
    assert (result.status, result.new) == ("ok", 6)
    assert "govkz source read in part" in caplog.text and "kk:govkz.not_json" in caplog.text


async def test_a_server_asking_to_wait_gets_no_more_requests(
    services: Services, client: httpx.AsyncClient, server: LocalServer, parsing_pool: ParsingPool
) -> None:
    busy = respond(429, b"", headers=[("Retry-After", "7200")])
    source_id, result = await _poll(services, client, parsing_pool, server, ru=busy, kk=busy)
    assert result.reason == "fetch.http_429"
    assert len(server.hits(f"{API}/news")) == 1
    source = await _source(services, source_id)
    assert source.next_poll_at == NOW + timedelta(hours=2), "as the server asked"


async def test_a_source_refused_again_and_again_is_paused_and_operators_are_told(
    services: Services, client: httpx.AsyncClient, server: LocalServer, parsing_pool: ParsingPool
) -> None:
    refused = respond(403, b"")
    source_id, result = await _poll(
        services, client, parsing_pool, server, ru=refused, kk=refused, en=refused
    )
    poller = SourcePoller(services, client, parsing_pool)
    for _ in range(7):
        assert not result.paused
        result = await poller.poll(source_id)
    assert (result.reason, result.paused) == ("govkz.refused", True)
    assert not (await _source(services, source_id)).enabled


async def test_one_poll_stores_at_most_its_share_of_items_across_languages(
    services: Services, client: httpx.AsyncClient, server: LocalServer, parsing_pool: ParsingPool
) -> None:
    many = MAX_ITEMS_PER_POLL // 2 + 10
    page = [
        {
            "id": 5000 + n,
            "title": f"Аким района провёл встречу с жителями села №{n}",
            "body": f"<p>Аким района встретился с жителями села №{n} и обсудил ремонт дорог.</p>",
            "created_date": "2025-03-11T10:00:00",
        }
        for n in range(many)
    ]
    answer = json_answer(json.dumps({"content": page}).encode())
    _, result = await _poll(services, client, parsing_pool, server, ru=answer, kk=answer, en=answer)
    assert result.new == MAX_ITEMS_PER_POLL
    languages = [hit.target.rsplit("lang=", 1)[1] for hit in server.hits(f"{API}/news")]
    assert languages == ["ru", "kk"], "no request once the poll's share is full"


async def _digest(services: Services, language: str) -> Digest:
    async with services.database.read() as session:
        bounds = await bounds_recent(session, now=NOW, max_age_days=7)
        return await compose_digest(
            session,
            interests=Interests.of(regions=["pavlodar"]),
            language=language,
            bounds=bounds,
            item_cap=15,
        )


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
async def test_a_digest_shows_each_release_once_in_the_reader_s_language(
    services: Services,
    client: httpx.AsyncClient,
    server: LocalServer,
    parsing_pool: ParsingPool,
    language: str,
) -> None:
    await _poll(services, client, parsing_pool, server, **releases())
    digest = await _digest(services, language)
    assert len(digest.items) == 3 and digest.overflow == 0
    assert {item.article.language for item in digest.items} == {language}
    assert digest.items[0].article.title == TITLES[language]
    [message] = render(digest, translator=default_translator(), day=NOW.date()).messages
    assert TITLES[language] in message
    for other in TITLES.keys() - {language}:
        assert TITLES[other] not in message


async def test_language_versions_are_not_counted_as_other_sources(
    services: Services, client: httpx.AsyncClient, server: LocalServer, parsing_pool: ParsingPool
) -> None:
    await _poll(services, client, parsing_pool, server, **releases())
    digest = await _digest(services, "ru")
    [message] = render(digest, translator=default_translator(), day=NOW.date()).messages
    assert "+1 источник" not in message and "+2 источника" not in message  # one publisher
    assert ">қаз</a>, <a" in message and ">eng</a>" in message  # the other languages, linked
