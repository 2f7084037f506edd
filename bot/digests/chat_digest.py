"""A chat's digest as it is sent: composed for its interests, split by its forum routes,
rendered in its language, and stored in the ledger as parts until every one is sent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.digests.interests import chat_interests
from bot.digests.preview import CompositionCache, compose_digest, render
from bot.digests.window import WindowBounds
from bot.domain.digest import render_no_news
from bot.domain.digest.routing import Route, split_by_route
from bot.i18n import Translator
from storage.models import Chat
from storage.queries import alerts as alert_queries
from storage.queries import chats as chat_queries


@dataclass(frozen=True, slots=True)
class Part:
    """One message: for the chat itself (thread None) or one of its forum topics."""

    thread_id: int | None
    thread_name: str
    text: str


@dataclass(frozen=True, slots=True)
class ChatDigest:
    """The messages to send, in order, and the article ids by item number (for /why)."""

    parts: list[Part]
    article_ids: list[int]


def to_payload(parts: list[Part]) -> list[dict[str, object]]:
    """Parts as the ledger stores them, so a retry sends exactly what was composed."""
    return [{"thread": p.thread_id, "name": p.thread_name, "text": p.text} for p in parts]


def from_payload(payload: list[dict[str, object]] | None) -> list[Part]:
    """The parts a ledger row stores (none when it stores nothing)."""
    parts: list[Part] = []
    for item in payload or []:
        thread = item.get("thread")
        parts.append(
            Part(
                thread if isinstance(thread, int) else None,
                str(item.get("name") or ""),
                str(item.get("text") or ""),
            )
        )
    return parts


async def compose_for_chat(
    session: AsyncSession,
    chat: Chat,
    *,
    bounds: WindowBounds,
    now: datetime,
    translator: Translator,
    item_cap: int,
    cache: CompositionCache | None = None,
) -> ChatDigest:
    """The chat's digest over a window, one part per message of each forum route's piece."""
    digest = await compose_digest(
        session,
        interests=await chat_interests(session, chat_id=chat.id, official_only=chat.official_only),
        language=chat.language,
        bounds=bounds,
        item_cap=item_cap,
        cache=cache,
        folded=await alert_queries.folded_alerts(
            session, chat_id=chat.id, after_id=bounds.after_id, up_to_id=bounds.up_to_id
        ),
    )
    routes = [
        Route(r.kind, r.value, r.thread_id, r.thread_name)
        for r in await chat_queries.routes_of(session, chat_id=chat.id)
    ]
    # Marked per chat after composing: compositions are shared between chats.
    alerted = await alert_queries.alerted_stories(
        session, chat_id=chat.id, story_ids=sorted({i.article.cluster_id for i in digest.items})
    )
    day = now.astimezone(ZoneInfo(chat.timezone)).date()
    parts: list[Part] = []
    numbered: list[int] = []
    for route, piece in split_by_route(digest, routes):
        rendered = render(piece, translator=translator, day=day, alerted=alerted)
        thread = route.thread_id if route else None
        name = route.thread_name if route else ""
        parts.extend(Part(thread, name, text) for text in rendered.messages)
        numbered.extend(item.article_id for item in rendered.items)
    return ChatDigest(parts, numbered)


async def compose_scheduled(
    session: AsyncSession,
    chat: Chat,
    *,
    bounds: WindowBounds,
    claimed_at: datetime,
    translator: Translator,
    item_cap: int,
    cache: CompositionCache | None = None,
) -> ChatDigest:
    """A scheduled digest: as `compose_for_chat`, or the "no news" note for a chat that asked
    for one when nothing matched."""
    composed = await compose_for_chat(
        session,
        chat,
        bounds=bounds,
        now=claimed_at,
        translator=translator,
        item_cap=item_cap,
        cache=cache,
    )
    if composed.parts or not chat.no_news_note:
        return composed
    day = claimed_at.astimezone(ZoneInfo(chat.timezone)).date()
    note = render_no_news(translator.bind(chat.language), day=day)
    return ChatDigest([Part(None, "", note)], composed.article_ids)
