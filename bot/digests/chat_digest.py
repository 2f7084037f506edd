"""A chat's digest as it is sent: composed for its interests, split by its forum routes,
rendered in its language, and stored in the ledger as parts until every one is sent."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.digests.interests import interests_from
from bot.digests.preview import CompositionCache, render
from bot.digests.window import WindowBounds
from bot.domain.digest import Digest, render_no_news
from bot.domain.digest.routing import Route, split_by_route
from bot.i18n import Translator
from storage.models import Chat, TopicRoute
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


@dataclass(frozen=True, slots=True)
class ChatWindow:
    """A chat and the window its digest covers, dated at `now` (a claim: when it was made)."""

    chat: Chat
    bounds: WindowBounds
    now: datetime


async def compose_for_chats(
    session: AsyncSession,
    windows: Sequence[ChatWindow],
    *,
    translator: Translator,
    item_cap: int,
    cache: CompositionCache,
    scheduled: bool = False,
) -> list[ChatDigest]:
    """Each chat's digest over its window, one part per message of each forum route's piece.

    What a digest depends on per chat (subscriptions, routes, alerts) is read for all chats
    at once; each distinct (interests, language, window) is composed and rendered once
    (`cache`). `scheduled`: a chat that asked for a "no news" note gets one when nothing
    matched.
    """
    chat_ids = [window.chat.id for window in windows]
    subscriptions = await chat_queries.subscriptions_of_chats(session, chat_ids=chat_ids)
    routes = await chat_queries.routes_of_chats(session, chat_ids=chat_ids)
    folded = await alert_queries.folded_alerts(
        session, chat_ids=chat_ids, after_id=min((w.bounds.after_id for w in windows), default=0)
    )
    interests_of = {
        window.chat.id: interests_from(subscriptions.get(window.chat.id, [])) for window in windows
    }
    phrases_by_bounds: dict[WindowBounds, set[str]] = {}
    for window in windows:
        interests = interests_of[window.chat.id]
        phrases = phrases_by_bounds.setdefault(window.bounds, set())
        phrases.update(interests.keywords, interests.excludes)
    for bounds, phrases in phrases_by_bounds.items():
        await cache.find_phrases(session, phrases, bounds)
    digests: list[Digest] = []
    for window in windows:
        chat, bounds = window.chat, window.bounds
        interests = interests_of[chat.id]
        in_window = (a for a in folded.get(chat.id, ()) if bounds.after_id < a <= bounds.up_to_id)
        digest = await cache.compose(
            session,
            interests=replace(interests, official_only=chat.official_only),
            language=chat.language,
            bounds=bounds,
            item_cap=item_cap,
            folded=frozenset(in_window),
        )
        digests.append(digest)
    stories = sorted({item.article.cluster_id for digest in digests for item in digest.items})
    alerted = await alert_queries.alerted_stories(session, chat_ids=chat_ids, story_ids=stories)
    return [
        _chat_digest(
            window,
            digest,
            routes=routes.get(window.chat.id, []),
            alerted=alerted.get(window.chat.id, frozenset()),
            translator=translator,
            cache=cache,
            scheduled=scheduled,
        )
        for window, digest in zip(windows, digests, strict=True)
    ]


def _chat_digest(
    window: ChatWindow,
    digest: Digest,
    *,
    routes: Sequence[TopicRoute],
    alerted: frozenset[int],
    translator: Translator,
    cache: CompositionCache,
    scheduled: bool,
) -> ChatDigest:
    """One chat's messages: its composition split by its forum routes, rendered on its day;
    the stories it had as alerts marked (per chat, after the shared composition)."""
    chat = window.chat
    day = window.now.astimezone(ZoneInfo(chat.timezone)).date()
    parts: list[Part] = []
    numbered: list[int] = []
    chat_routes = [Route(r.kind, r.value, r.thread_id, r.thread_name) for r in routes]
    for route, piece in split_by_route(digest, chat_routes):
        if piece is digest:  # shared by the chats of this composition
            rendered = cache.render(piece, translator=translator, day=day, alerted=alerted)
        else:  # a forum's own piece
            rendered = render(piece, translator=translator, day=day, alerted=alerted)
        thread = route.thread_id if route else None
        name = route.thread_name if route else ""
        parts.extend(Part(thread, name, text) for text in rendered.messages)
        numbered.extend(item.article_id for item in rendered.items)
    if parts or not (scheduled and chat.no_news_note):
        return ChatDigest(parts, numbered)
    note = render_no_news(translator.bind(chat.language), day=day)
    return ChatDigest([Part(None, "", note)], numbered)


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
    """One chat's digest over a window (`compose_for_chats` for one chat)."""
    (composed,) = await compose_for_chats(
        session,
        [ChatWindow(chat, bounds, now)],
        translator=translator,
        item_cap=item_cap,
        cache=cache or CompositionCache(),
    )
    return composed
