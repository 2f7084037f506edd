"""`/why n`: why an item of the last digest was in it, and what tied its story together."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.digests.articles import articles_by_ids
from bot.digests.interests import chat_interests
from bot.domain import story_record
from bot.domain.articles import Evidence
from bot.domain.digest import DigestArticle
from bot.domain.story_facts import StoryFacts
from bot.domain.story_ties import Tie, story_ties
from bot.services import Services
from bot.usecases.chats import ChatRef
from bot.usecases.reading import Answer, reading_chat
from storage.models import Article
from storage.queries import articles as article_queries
from storage.queries import deliveries as ledger
from storage.queries import search as search_queries


@dataclass(frozen=True, slots=True)
class StoryTie:
    """How many other versions (languages, outlets) an item's story has, and the facts of the
    item they share: what made them one story. No ties: their texts matched."""

    others: int
    ties: tuple[Tie, ...]


@dataclass(frozen=True, slots=True)
class UrgentWhy:
    """Why an item is an urgent alert: its category, the lexicon entries found in it, when its
    event starts and ends (None where the text does not say) and the chat's time zone."""

    category: str
    cues: tuple[str, ...]
    zone: ZoneInfo
    starts_at: datetime | None = None
    ends_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class WhyItem:
    """An item of the last digest, the chat's interests it matched and the words behind each,
    and what tied its story's versions together (None for a story told once)."""

    article: DigestArticle
    regions: tuple[tuple[str, tuple[str, ...]], ...]
    topics: tuple[tuple[str, tuple[str, ...]], ...]
    keywords: tuple[str, ...]
    story: StoryTie | None = None
    urgent: UrgentWhy | None = None


@dataclass(frozen=True, slots=True)
class Why(Answer):
    """/why n: the item explained, or (item None) a message key saying why there is none."""

    number: int = 0
    item: WhyItem | None = None


async def why(services: Services, ref: ChatRef, number: int | None) -> Why:
    """/why n: item `number` of the chat's last digest with what matched it."""
    async with reading_chat(services, ref) as (session, chat):
        if number is None:
            return Why(chat.language, key="why.usage")
        item = await _why_item(session, services, chat.id, number, ZoneInfo(chat.timezone))
    if item is None:
        return Why(chat.language, key="why.missing", params={"number": number})
    return Why(chat.language, number=number, item=item)


async def _why_item(
    session: AsyncSession, services: Services, chat_id: int, number: int, zone: ZoneInfo
) -> WhyItem | None:
    """The explained item, or None when the last digest has no item `number`."""
    delivery = await ledger.last_delivered(session, chat_id=chat_id)
    if delivery is None or not 1 <= number <= len(delivery.item_article_ids):
        return None
    article_id = delivery.item_article_ids[number - 1]
    found = await articles_by_ids(session, ids=[article_id])
    stored = await session.get(Article, article_id)
    if not found or stored is None:
        return None
    interests = await chat_interests(session, chat_id=chat_id)
    keywords = [
        phrase
        for phrase in interests.keywords
        if await search_queries.article_matches(session, article_id=article_id, phrase=phrase)
    ]
    versions = await article_queries.cluster_signatures(session, cluster_id=found[0].cluster_id)
    tags = services.tagger.tag(title=stored.title, body=stored.body, source_url=stored.source_url)
    article = found[0]
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
        urgent=_urgent(services, stored, zone),
    )


def _urgent(services: Services, stored: Article, zone: ZoneInfo) -> UrgentWhy | None:
    """Why a stored article is urgent (None when it is not): its stored category and times,
    and the entries of the alert lexicon that read it so."""
    if stored.alert_category is None:
        return None
    notice = services.tagger.urgent(
        title=stored.title, body=stored.body, published=stored.published_at
    )
    return UrgentWhy(
        category=stored.alert_category,
        cues=notice.cues if notice is not None else (),
        zone=zone,
        starts_at=stored.alert_starts_at,
        ends_at=stored.alert_ends_at,
    )


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
