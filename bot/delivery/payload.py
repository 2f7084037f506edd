"""A digest as the ledger keeps it while it is being delivered: parts, each for one place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.digests.interests import chat_interests
from bot.digests.preview import CompositionCache, compose_digest, render
from bot.digests.window import WindowBounds
from bot.domain.digest.routing import Route, split_by_route
from bot.services import Services
from storage.models import Chat
from storage.queries import chats as chat_queries


@dataclass(frozen=True, slots=True)
class Part:
    """One message: for the chat itself (thread None) or one of its forum topics."""

    thread_id: int | None
    thread_name: str
    text: str


def to_payload(parts: list[Part]) -> list[dict[str, object]]:
    return [{"thread": p.thread_id, "name": p.thread_name, "text": p.text} for p in parts]


def from_payload(payload: list[dict[str, object]] | None) -> list[Part]:
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


async def compose_parts(
    session: AsyncSession,
    services: Services,
    chat: Chat,
    bounds: WindowBounds,
    now: datetime,
    cache: CompositionCache | None = None,
) -> tuple[list[Part], list[int]]:
    """The chat's digest over a window, split by forum routes; the article ids by item number."""
    digest = await compose_digest(
        session,
        interests=await chat_interests(session, chat_id=chat.id, official_only=chat.official_only),
        language=chat.language,
        bounds=bounds,
        item_cap=services.settings.digest_item_cap,
        cache=cache,
    )
    routes = [
        Route(r.kind, r.value, r.thread_id, r.thread_name)
        for r in await chat_queries.routes_of(session, chat_id=chat.id)
    ]
    day = now.astimezone(ZoneInfo(chat.timezone)).date()
    parts: list[Part] = []
    numbered: list[int] = []
    for route, piece in split_by_route(digest, routes):
        rendered = render(piece, translator=services.translator, day=day)
        thread = route.thread_id if route else None
        name = route.thread_name if route else ""
        parts.extend(Part(thread, name, text) for text in rendered.messages)
        numbered.extend(item.article_id for item in rendered.items)
    return parts, numbered
