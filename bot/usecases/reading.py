"""Reading on demand: the digest now, the latest matching stories, search, and `/why n`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.delivery.payload import compose_parts, to_payload
from bot.digests.interests import chat_interests
from bot.digests.window import bounds_for_chat, to_digest_articles
from bot.domain import story_record
from bot.domain.articles import Evidence
from bot.domain.digest import Rendered, render_article_list
from bot.domain.story_facts import StoryFacts
from bot.domain.story_ties import Tie, story_ties
from bot.domain.telegram_html import Html
from bot.domain.user_input import quote_input
from bot.services import Services
from bot.usecases.subscriptions import recent_digest
from storage.models import Article, Chat, Delivery
from storage.queries import articles as article_queries
from storage.queries import deliveries as ledger
from storage.queries import digests as digest_queries
from storage.queries import search as search_queries
from storage.queries.digests import WindowArticle

LATEST_COUNT = 10
SEARCH_COUNT = 10


async def claim_digest(services: Services, chat: Chat, *, kind: str) -> int | None:
    """Compose the chat's digest now and claim its window; the ledger row, None when empty.

    The claim, the rendered parts and the ledger row are written together, so the window
    moves past every considered article (the overflow too) and nothing comes twice.
    """
    now = services.clock.now()
    async with services.database.write() as session:
        mark = await ledger.watermark(session, chat_id=chat.id)
        bounds = await bounds_for_chat(
            session, watermark=mark, now=now, policy=services.window_policy
        )
        parts, numbered = await compose_parts(session, services, chat, bounds, now)
        delivery = Delivery(
            chat_id=chat.id,
            due_at=now,
            kind=kind,
            status=ledger.CLAIMED if parts else ledger.EMPTY,
            window_start_id=bounds.after_id,
            window_end_id=max(bounds.up_to_id, bounds.after_id),
            item_article_ids=numbered,
            parts_total=len(parts),
            payload=to_payload(parts) if parts else None,
            claimed_at=now,
            finished_at=None if parts else now,
        )
        await ledger.record_delivery(session, delivery=delivery)
    return delivery.id if parts else None


async def latest(services: Services, chat: Chat) -> Rendered:
    """The newest stories matching the chat's interests, without moving its watermark."""
    async with services.database.read() as session:
        digest = await recent_digest(session, services, chat, item_cap=LATEST_COUNT)
    texts = services.texts(chat.language)
    articles = [item.article for item in digest.items]
    articles.sort(key=lambda article: (article.published_at, article.id), reverse=True)
    return render_article_list(
        articles, texts, heading=Html(texts("latest.heading")), tz=ZoneInfo(chat.timezone)
    )


async def search(services: Services, chat: Chat, words: str) -> Rendered:
    """Full-text search over every stored article, best matches first."""
    async with services.database.read() as session:
        ids = await search_queries.ranked_ids(session, words=words, limit=SEARCH_COUNT)
        rows = await digest_queries.articles_by_ids(session, ids=ids)
    texts = services.texts(chat.language)
    return render_article_list(
        to_digest_articles(rows),
        texts,
        heading=Html(texts("search.heading", query=quote_input(words))),
        tz=ZoneInfo(chat.timezone),
    )


@dataclass(frozen=True, slots=True)
class StoryTie:
    """How many other versions (languages, outlets) an item's story has, and the facts of the
    item they share: what made them one story. No ties: their texts matched."""

    others: int
    ties: tuple[Tie, ...]


@dataclass(frozen=True, slots=True)
class WhyItem:
    """An item of the last digest, the chat's interests it matched and the words behind each,
    and what tied its story's versions together (None for a story told once)."""

    article: WindowArticle
    regions: tuple[tuple[str, tuple[str, ...]], ...]
    topics: tuple[tuple[str, tuple[str, ...]], ...]
    keywords: tuple[str, ...]
    story: StoryTie | None = None


async def why(services: Services, chat: Chat, number: int) -> WhyItem | None:
    """Item `number` of the chat's last digest with what matched it; None if there is none."""
    async with services.database.read() as session:
        delivery = await ledger.last_delivered(session, chat_id=chat.id)
        if delivery is None or not 1 <= number <= len(delivery.item_article_ids):
            return None
        article_id = delivery.item_article_ids[number - 1]
        rows = await digest_queries.articles_by_ids(session, ids=[article_id])
        stored = await session.get(Article, article_id)
        interests = await chat_interests(session, chat_id=chat.id)
        versions = await _versions(session, stored)
        keywords = [
            phrase
            for phrase in interests.keywords
            if await search_queries.article_matches(session, article_id=article_id, phrase=phrase)
        ]
    if not rows or stored is None:
        return None
    tags = services.tagger.tag(title=stored.title, body=stored.body, source_url=stored.source_url)
    article = rows[0]
    return WhyItem(
        article=article,
        regions=tuple(
            (slug, _words(tags.regions.explain(slug)))
            for slug in article.regions
            if slug in interests.regions
        ),
        topics=tuple(
            (slug, _words(tags.topics.explain(slug)))
            for slug in article.topics
            if slug in interests.topics
        ),
        keywords=tuple(keywords),
        story=_story_tie(article_id, versions),
    )


async def _versions(session: AsyncSession, stored: Article | None) -> list[tuple[int, bytes]]:
    """(id, signature BLOB) of the stored versions of an article's story."""
    if stored is None or stored.id is None:
        return []
    cluster = stored.cluster_id or stored.id
    return await article_queries.cluster_signatures(session, cluster_id=cluster)


def _story_tie(article_id: int, versions: Sequence[tuple[int, bytes]]) -> StoryTie | None:
    """What the item (`article_id`) shares with the other stored versions of its story."""
    others = [blob for version_id, blob in versions if version_id != article_id]
    if not others:
        return None
    main = next(
        (_facts_of(blob) for version_id, blob in versions if version_id == article_id), None
    )
    if main is None:
        return StoryTie(len(others), ())
    facts = [found for found in map(_facts_of, others) if found is not None]
    return StoryTie(len(others), tuple(story_ties(main, facts)))


def _facts_of(blob: bytes) -> StoryFacts | None:
    """The story facts stored in a signature BLOB (None for rows stored before them)."""
    return story_record.decode(blob)[1]


def _words(evidence: Sequence[Evidence]) -> tuple[str, ...]:
    """The distinct words behind a tag, strongest first, a handful at most."""
    ranked = sorted(evidence, key=lambda item: -item.weight)
    return tuple(dict.fromkeys(item.text for item in ranked))[:5]
