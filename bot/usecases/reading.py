"""Reading on demand: the digest now, the latest matching stories, search, and `/why n`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.digests.preview import compose_digest, render
from bot.digests.window import bounds_for_chat, to_digest_articles
from bot.domain.articles import Evidence
from bot.domain.digest import Rendered, render_article_list
from bot.domain.digest.routing import Route, split_by_route
from bot.domain.telegram_html import Html
from bot.usecases.services import Services
from bot.usecases.subscriptions import chat_interests, recent_digest
from storage.models import Article, Chat, Delivery
from storage.queries import chats as chat_queries
from storage.queries import deliveries as ledger
from storage.queries import digests as digest_queries
from storage.queries import search as search_queries
from storage.queries.digests import WindowArticle

LATEST_COUNT = 10
SEARCH_COUNT = 10


@dataclass(frozen=True, slots=True)
class DigestPart:
    """Messages for one place: the chat itself, or one forum topic of it."""

    thread_id: int | None
    thread_name: str
    messages: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ClaimedDigest:
    """A digest whose window is claimed in the ledger; send it, then `finish_digest`."""

    delivery_id: int
    chat_id: int
    parts: tuple[DigestPart, ...]


async def claim_digest(services: Services, chat: Chat, *, kind: str) -> ClaimedDigest | None:
    """Compose the chat's digest and claim its window; None when there is nothing to send.

    The claim and the ledger row are written together, so the window moves past every
    considered article (the overflow too) and nothing comes twice. A forum's routed regions
    and topics become parts of their own.
    """
    now = services.clock.now()
    day = now.astimezone(ZoneInfo(chat.timezone)).date()
    async with services.database.write() as session:
        interests = await chat_interests(session, chat_id=chat.id)
        mark = await ledger.watermark(session, chat_id=chat.id)
        bounds = await bounds_for_chat(
            session, watermark=mark, now=now, policy=services.window_policy
        )
        digest = await compose_digest(
            session,
            interests=interests,
            language=chat.language,
            bounds=bounds,
            item_cap=services.settings.digest_item_cap,
        )
        routes = [
            Route(r.kind, r.value, r.thread_id, r.thread_name)
            for r in await chat_queries.routes_of(session, chat_id=chat.id)
        ]
        parts: list[DigestPart] = []
        numbered: list[int] = []
        for route, piece in split_by_route(digest, routes):
            rendered = render(piece, translator=services.translator, day=day)
            if rendered.messages:
                parts.append(
                    DigestPart(
                        route.thread_id if route else None,
                        route.thread_name if route else "",
                        rendered.messages,
                    )
                )
                numbered.extend(item.article_id for item in rendered.items)
        delivery = Delivery(
            chat_id=chat.id,
            due_at=now,
            kind=kind,
            status=ledger.CLAIMED if parts else ledger.EMPTY,
            window_start_id=bounds.after_id,
            window_end_id=max(bounds.up_to_id, bounds.after_id),
            item_article_ids=numbered,
            parts_total=sum(len(part.messages) for part in parts),
            claimed_at=now,
            finished_at=None if parts else now,
        )
        await ledger.record_delivery(session, delivery=delivery)
    if not parts or delivery.id is None:
        return None
    return ClaimedDigest(delivery.id, chat.id, tuple(parts))


async def finish_digest(
    services: Services, delivery_id: int, *, message_ids: Sequence[int], error: str | None
) -> None:
    """Record how sending went; a failure frees the window for the next attempt."""
    async with services.database.write() as session:
        await ledger.finish_delivery(
            session,
            delivery_id=delivery_id,
            status=ledger.FAILED if error else ledger.SENT,
            message_ids=message_ids,
            now=services.clock.now(),
            error=error,
        )


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
        heading=Html(texts("search.heading", query=words)),
        tz=ZoneInfo(chat.timezone),
    )


@dataclass(frozen=True, slots=True)
class WhyItem:
    """An item of the last digest, the chat's interests it matched and the words behind each."""

    article: WindowArticle
    regions: tuple[tuple[str, tuple[str, ...]], ...]
    topics: tuple[tuple[str, tuple[str, ...]], ...]
    keywords: tuple[str, ...]


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
    )


def _words(evidence: Sequence[Evidence]) -> tuple[str, ...]:
    """The distinct words behind a tag, strongest first, a handful at most."""
    ranked = sorted(evidence, key=lambda item: -item.weight)
    return tuple(dict.fromkeys(item.text for item in ranked))[:5]
