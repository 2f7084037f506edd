"""Reading on demand: the digest now, the latest matching stories, and search."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.delivery.sender import Sender
from bot.digests.articles import articles_by_ids
from bot.digests.chat_digest import compose_for_chat, to_payload
from bot.digests.window import bounds_for_chat
from bot.domain.digest import Rendered, render_article_list
from bot.domain.telegram_html import Html
from bot.domain.user_input import NAME_MAX_CHARS, quote_input
from bot.services import Services
from bot.usecases.chats import ChatRef, open_chat, open_target
from bot.usecases.subscriptions import recent_digest
from storage.models import Chat, Delivery
from storage.queries import chats as chat_queries
from storage.queries import deliveries as ledger
from storage.queries import search as search_queries

LATEST_COUNT = 10
SEARCH_COUNT = 10
MAX_QUERY_CHARS = 200


@dataclass(frozen=True, slots=True)
class Answer:
    """A reply in the chat's language: a rendered message, else a message key and its
    parameters; neither when the digest itself was the answer."""

    language: str
    message: str | None = None
    key: str | None = None
    params: dict[str, object] = field(default_factory=dict)


async def digest_now(services: Services, sender: Sender, ref: ChatRef) -> Answer:
    """/digest: the digest of the chat (or the channel it manages) sent now, as the scheduler
    would send it; the watermark moves. Answered in the language of the chat that asked."""
    async with services.database.write() as session:
        speaker, target = await open_target(session, services, ref)
        delivery_id = await _claim_now(session, services, target, sender)
    if delivery_id is None:
        return Answer(speaker.language, key="reading.nothing_new")
    if await sender.deliver(delivery_id) != ledger.SENT:
        return Answer(speaker.language, key="reading.not_delivered")
    if target.id != speaker.id:
        title = quote_input(target.title, limit=NAME_MAX_CHARS)
        return Answer(speaker.language, key="channel.posted", params={"title": title})
    return Answer(speaker.language)


async def _claim_now(
    session: AsyncSession, services: Services, chat: Chat, sender: Sender
) -> int | None:
    """Compose the chat's digest and claim its window; the ledger row, None when empty.

    The claim, the rendered parts and the ledger row are written together, so the window
    moves past every considered article (the overflow too) and nothing comes twice; the row
    is reserved for this instance's sender, which sends it right away.
    """
    now = services.clock.now()
    mark = await ledger.watermark(session, chat_id=chat.id)
    bounds = await bounds_for_chat(session, watermark=mark, now=now, policy=services.window_policy)
    composed = await compose_for_chat(
        session,
        chat,
        bounds=bounds,
        now=now,
        translator=services.translator,
        item_cap=services.settings.digest_item_cap,
    )
    parts = composed.parts
    owner, until = sender.rows.reserved(now)
    delivery = Delivery(
        chat_id=chat.id,
        due_at=now,
        kind="manual",
        status=ledger.CLAIMED if parts else ledger.EMPTY,
        window_start_id=bounds.after_id,
        window_end_id=max(bounds.up_to_id, bounds.after_id),
        item_article_ids=composed.article_ids,
        parts_total=len(parts),
        payload=to_payload(parts) if parts else None,
        claimed_at=now,
        finished_at=None if parts else now,
        sender_id=owner if parts else None,
        sender_until=until if parts else None,
    )
    await ledger.record_delivery(session, delivery=delivery)
    return delivery.id if parts else None


@asynccontextmanager
async def reading_chat(
    services: Services, ref: ChatRef
) -> AsyncIterator[tuple[AsyncSession, Chat]]:
    """A read transaction and the chat that reads; the write lock is taken first only when
    opening the chat changes it (first contact, or a chat that had blocked the bot)."""
    async with services.database.read() as session:
        chat = await chat_queries.get_chat(session, chat_id=ref.chat_id)
        if chat is not None and not chat.blocked:
            yield session, chat
            return
    async with services.database.write() as session:
        chat, _ = await open_chat(session, services, ref)
    async with services.database.read() as session:
        yield session, chat


async def latest(services: Services, ref: ChatRef) -> Answer:
    """/latest: the newest stories matching the chat's interests; its watermark stays."""
    async with reading_chat(services, ref) as (session, chat):
        digest = await recent_digest(session, services, chat, item_cap=LATEST_COUNT)
    texts = services.texts(chat.language)
    articles = sorted(
        (item.article for item in digest.items),
        key=lambda article: (article.published_at, article.id),
        reverse=True,
    )
    rendered = render_article_list(
        articles, texts, heading=Html(texts("latest.heading")), tz=ZoneInfo(chat.timezone)
    )
    return _first_message(chat.language, rendered, key="latest.empty")


async def search(services: Services, ref: ChatRef, words: str) -> Answer:
    """/search <words>: full-text search over every stored article, best matches first."""
    words = words[:MAX_QUERY_CHARS]
    async with reading_chat(services, ref) as (session, chat):
        if not any(char.isalnum() for char in words):
            return Answer(chat.language, key="search.usage")
        ids = await search_queries.ranked_ids(session, words=words, limit=SEARCH_COUNT)
        found = await articles_by_ids(session, ids=ids)
    texts = services.texts(chat.language)
    query = quote_input(words)
    rendered = render_article_list(
        found,
        texts,
        heading=Html(texts("search.heading", query=query)),
        tz=ZoneInfo(chat.timezone),
    )
    return _first_message(chat.language, rendered, key="search.empty", query=query)


def _first_message(language: str, rendered: Rendered, *, key: str, **params: object) -> Answer:
    """A listing fits one message; `key` says there was nothing to list."""
    if rendered.messages:
        return Answer(language, message=rendered.messages[0])
    return Answer(language, key=key, params=params)
