"""Reading on demand: /digest, /latest, /search, /why."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import BaseHandler

from bot.chat.common import Context, chat_ref, command, command_text, reply
from bot.chat.replies import why as why_text
from bot.chat.runtime import Runtime
from bot.domain.user_input import NAME_MAX_CHARS, parse_natural, quote_input
from bot.services import Services
from bot.usecases import reading
from bot.usecases.chats import open_chat, open_target
from storage.queries import deliveries as ledger

logger = logging.getLogger(__name__)
MAX_QUERY_CHARS = 200
MAX_ITEM = 999_999  # far beyond any digest; longer numbers are typos, never parsed


def handlers(services: Services, runtime: Runtime) -> list[BaseHandler[Update, Context, None]]:
    async def digest(update: Update, context: Context) -> None:
        """/digest: the digest now, as the scheduler would send it (the watermark moves)."""
        ref = chat_ref(update)
        if ref is None:
            return
        async with services.database.write() as session:
            speaker, target = await open_target(session, services, ref)
        delivery_id = await reading.claim_digest(services, target, kind="manual")
        texts = services.texts(speaker.language)
        if delivery_id is None:
            await reply(update, texts("reading.nothing_new"))
            return
        status = await runtime.sender.deliver(delivery_id)
        if status != ledger.SENT:
            await reply(update, texts("reading.not_delivered"))
        elif target.id != speaker.id:
            title = quote_input(target.title, limit=NAME_MAX_CHARS)
            await reply(update, texts("channel.posted", title=title))

    async def latest(update: Update, context: Context) -> None:
        """/latest: the newest matching stories; the watermark stays."""
        ref = chat_ref(update)
        if ref is None:
            return
        async with services.database.write() as session:
            chat, _ = await open_chat(session, services, ref)
        rendered = await reading.latest(services, chat)
        texts = services.texts(chat.language)
        await reply(update, rendered.messages[0] if rendered.messages else texts("latest.empty"))

    async def search(update: Update, context: Context) -> None:
        """/search <words>: full-text search in any language."""
        ref = chat_ref(update)
        message = update.effective_message
        if ref is None or message is None:
            return
        words = command_text(message)[:MAX_QUERY_CHARS]
        async with services.database.write() as session:
            chat, _ = await open_chat(session, services, ref)
        texts = services.texts(chat.language)
        if not any(char.isalnum() for char in words):
            await reply(update, texts("search.usage"))
            return
        rendered = await reading.search(services, chat, words)
        await reply(
            update,
            rendered.messages[0]
            if rendered.messages
            else texts("search.empty", query=quote_input(words)),
        )

    async def why(update: Update, context: Context) -> None:
        """/why <n>: why item n of the last digest was in it."""
        ref = chat_ref(update)
        if ref is None:
            return
        async with services.database.write() as session:
            chat, _ = await open_chat(session, services, ref)
        texts = services.texts(chat.language)
        number = parse_natural(context.args[0], maximum=MAX_ITEM) if context.args else None
        if number is None:
            await reply(update, texts("why.usage"))
            return
        item = await reading.why(services, chat, number)
        if item is None:
            await reply(update, texts("why.missing", number=number))
            return
        await reply(update, why_text(texts, number, item))

    return [
        command("digest", runtime.guard.admin_only(digest, others=latest)),
        command("latest", latest),
        command("search", search),
        command("why", why),
    ]
