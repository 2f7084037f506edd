"""Reading on demand: /digest, /latest, /search, /why."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler

from bot.chat.common import Context, Reply, answers, command
from bot.chat.groups import admin_only
from bot.chat.replies import answer_text, why
from bot.domain.user_input import parse_natural
from bot.usecases import reading
from bot.usecases import why as explaining
from bot.usecases.chats import ChatRef
from bot.usecases.reading import Answer

MAX_ITEM = 999_999  # far beyond any digest; longer numbers are typos, never parsed


def _reply(context: Context, answer: Answer) -> Reply | None:
    """The answer in its chat's language; None when the digest itself was the answer."""
    text = answer_text(context.services.texts(answer.language), answer)
    return Reply(text) if text is not None else None


@answers
async def digest(context: Context, ref: ChatRef, args: str) -> Reply | None:
    """/digest: the digest now, as the scheduler would send it (the watermark moves)."""
    answer = await reading.digest_now(context.services, context.runtime.sender, ref)
    return _reply(context, answer)


@answers
async def latest(context: Context, ref: ChatRef, args: str) -> Reply | None:
    """/latest: the newest matching stories; the watermark stays."""
    return _reply(context, await reading.latest(context.services, ref))


@answers
async def search(context: Context, ref: ChatRef, args: str) -> Reply | None:
    """/search <words>: full-text search in any language."""
    return _reply(context, await reading.search(context.services, ref, args))


@answers
async def why_item(context: Context, ref: ChatRef, args: str) -> Reply | None:
    """/why <n>: why item n of the last digest was in it."""
    number = parse_natural(context.args[0], maximum=MAX_ITEM) if context.args else None
    answer = await explaining.why(context.services, ref, number)
    if answer.item is not None:
        return Reply(why(context.services.texts(answer.language), answer.number, answer.item))
    return _reply(context, answer)


HANDLERS: list[BaseHandler[Update, Context, None]] = [
    command("digest", admin_only(digest, others=latest)),
    command("latest", latest),
    command("search", search),
    command("why", why_item),
]
