"""Forum supergroups: `/route karaganda` inside a forum topic sends Karaganda news there."""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import BaseHandler

from bot.chat.common import Context, chat_ref, command, command_text, reply
from bot.chat.replies import label
from bot.chat.runtime import Runtime
from bot.domain.name_resolution import resolve_name
from bot.domain.telegram_html import fit_lines
from bot.domain.user_input import NAME_MAX_CHARS, quote_input
from bot.services import Services
from bot.usecases import chats as chat_use
from storage.queries import chats as chat_queries


def topic_of(message: Message) -> tuple[int, str] | None:
    """The forum topic a message was written in: its thread id and name (None in General)."""
    if not message.is_topic_message or message.message_thread_id is None:
        return None
    created = message.reply_to_message.forum_topic_created if message.reply_to_message else None
    return message.message_thread_id, created.name if created else f"#{message.message_thread_id}"


def handlers(services: Services, runtime: Runtime) -> list[BaseHandler[Update, Context, None]]:
    async def route(update: Update, context: Context) -> None:
        """/route <region or topic>, sent inside a forum topic; /route alone lists the routes."""
        ref = chat_ref(update)
        message = update.effective_message
        if ref is None or message is None:
            return
        name = command_text(message)
        topic = topic_of(message)
        async with services.database.write() as session:
            chat, _ = await chat_use.open_chat(session, services, ref)
            texts = services.texts(chat.language)
            text: str
            if not message.chat.is_forum:
                text = texts("forum.not_forum")
            elif not name or topic is None:
                routes = await chat_queries.routes_of(session, chat_id=chat.id)
                lines = [
                    texts(
                        "forum.route_line",
                        name=label(texts, r.kind, r.value),
                        thread=quote_input(r.thread_name, limit=NAME_MAX_CHARS),
                    )
                    for r in routes
                ]
                text = fit_lines([texts("forum.route_usage"), *lines])
            else:
                target = resolve_name(services.gazetteer, name).target
                if target is None:
                    text = texts("subscribe.unknown", name=quote_input(name))
                else:
                    await chat_queries.set_route(
                        session,
                        chat_id=chat.id,
                        kind=target.kind,
                        value=target.slug,
                        thread_id=topic[0],
                        name=topic[1],
                    )
                    text = texts(
                        "forum.routed",
                        name=label(texts, target.kind, target.slug),
                        thread=quote_input(topic[1], limit=NAME_MAX_CHARS),
                    )
        await reply(update, text)

    async def unroute(update: Update, context: Context) -> None:
        """/unroute inside a forum topic: its news goes back to General."""
        ref = chat_ref(update)
        message = update.effective_message
        if ref is None or message is None:
            return
        topic = topic_of(message)
        async with services.database.write() as session:
            chat, _ = await chat_use.open_chat(session, services, ref)
            removed = (
                0
                if topic is None
                else await chat_queries.remove_routes(session, chat_id=chat.id, thread_id=topic[0])
            )
        await reply(update, services.texts(chat.language)("forum.unrouted", count=removed))

    return [
        command("route", runtime.guard.admin_only(route)),
        command("unroute", runtime.guard.admin_only(unroute)),
    ]
