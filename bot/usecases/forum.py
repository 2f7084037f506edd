"""Forum supergroups: a region's or topic's news sent to one forum topic instead of General."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.domain.digest.routing import Route
from bot.domain.name_resolution import resolve_name
from bot.services import Services
from bot.usecases.chats import ChatRef, open_chat
from storage.queries import chats as chat_queries


@dataclass(frozen=True, slots=True)
class ForumTopic:
    """A forum topic a command was written in: its thread id and name."""

    thread_id: int
    name: str


@dataclass(frozen=True, slots=True)
class Routing:
    """The answer to /route in the chat's language: `key` is "forum.not_forum",
    "subscribe.unknown", "forum.routed" (the route set is `routes[0]`) or "forum.route_usage"
    (with every route of the chat)."""

    language: str
    key: str
    routes: list[Route] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Unrouted:
    """How many routes to a forum topic were removed, in the chat's language."""

    language: str
    count: int


async def route(
    services: Services, ref: ChatRef, *, is_forum: bool, topic: ForumTopic | None, name: str
) -> Routing:
    """/route <name> inside a forum topic sends that region's or topic's news there; without a
    name, or outside a topic, the chat's routes are listed."""
    async with services.database.write() as session:
        chat, _ = await open_chat(session, services, ref)
        if not is_forum:
            return Routing(chat.language, "forum.not_forum")
        if not name or topic is None:
            routes = await chat_queries.routes_of(session, chat_id=chat.id)
            listed = [Route(r.kind, r.value, r.thread_id, r.thread_name) for r in routes]
            return Routing(chat.language, "forum.route_usage", listed)
        target = resolve_name(services.gazetteer, name).target
        if target is None:
            return Routing(chat.language, "subscribe.unknown")
        await chat_queries.set_route(
            session,
            chat_id=chat.id,
            kind=target.kind,
            value=target.slug,
            thread_id=topic.thread_id,
            name=topic.name,
        )
        return Routing(
            chat.language,
            "forum.routed",
            [Route(target.kind, target.slug, topic.thread_id, topic.name)],
        )


async def unroute(services: Services, ref: ChatRef, topic: ForumTopic | None) -> Unrouted:
    """/unroute inside a forum topic: its news goes back to General (outside one, nothing)."""
    async with services.database.write() as session:
        chat, _ = await open_chat(session, services, ref)
        if topic is None:
            return Unrouted(chat.language, 0)
        removed = await chat_queries.remove_routes(
            session, chat_id=chat.id, thread_id=topic.thread_id
        )
        return Unrouted(chat.language, removed)
