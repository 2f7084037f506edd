"""Forum supergroups: `/route karaganda` inside a forum topic sends Karaganda news there."""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import BaseHandler

from bot.chat.common import Context, chat_ref, command, command_text, reply
from bot.chat.groups import admin_only
from bot.chat.replies import label
from bot.domain.digest.routing import Route
from bot.domain.telegram_html import Html, fit_lines
from bot.domain.user_input import NAME_MAX_CHARS, quote_input
from bot.i18n import BoundTranslator
from bot.usecases import forum as forum_use
from bot.usecases.forum import ForumTopic, Routing


def topic_of(message: Message) -> ForumTopic | None:
    """The forum topic a message was written in (None in General)."""
    if not message.is_topic_message or message.message_thread_id is None:
        return None
    created = message.reply_to_message.forum_topic_created if message.reply_to_message else None
    thread = message.message_thread_id
    return ForumTopic(thread, created.name if created else f"#{thread}")


def _shown(texts: BoundTranslator, route: Route) -> dict[str, str]:
    """A route's parameters in a message: what is routed and the topic's name."""
    thread = quote_input(route.thread_name, limit=NAME_MAX_CHARS)
    return {"name": label(texts, route.kind, route.value), "thread": thread}


def _routing_text(texts: BoundTranslator, routing: Routing, name: str) -> Html:
    """The reply to /route: the route set, the chat's routes, or why nothing was routed."""
    if routing.key == "forum.route_usage":
        lines = [texts("forum.route_line", **_shown(texts, route)) for route in routing.routes]
        return fit_lines([texts(routing.key), *lines])
    if routing.key == "forum.routed":
        return texts(routing.key, **_shown(texts, routing.routes[0]))
    return texts(routing.key, name=quote_input(name))


async def route(update: Update, context: Context) -> None:
    """/route <region or topic>, sent inside a forum topic; /route alone lists the routes."""
    ref, message = chat_ref(update), update.effective_message
    if ref is None or message is None:
        return
    name = command_text(message)
    routing = await forum_use.route(
        context.services,
        ref,
        is_forum=bool(message.chat.is_forum),
        topic=topic_of(message),
        name=name,
    )
    await reply(update, _routing_text(context.services.texts(routing.language), routing, name))


async def unroute(update: Update, context: Context) -> None:
    """/unroute inside a forum topic: its news goes back to General."""
    ref, message = chat_ref(update), update.effective_message
    if ref is None or message is None:
        return
    unrouted = await forum_use.unroute(context.services, ref, topic_of(message))
    texts = context.services.texts(unrouted.language)
    await reply(update, texts("forum.unrouted", count=unrouted.count))


HANDLERS: list[BaseHandler[Update, Context, None]] = [
    command("route", admin_only(route)),
    command("unroute", admin_only(unroute)),
]
