"""Operators manage sources from Telegram: /sources, /addsource, /removesource, /pollnow."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler

from bot.chat.common import Context, command, reply
from bot.chat.operators_only import operators_only
from bot.chat.operators_only import texts_for as operator_texts
from bot.chat.runtime import Runtime
from bot.domain.telegram_html import escape
from bot.usecases import sources as source_use
from bot.usecases.services import Services
from storage.queries import sources as source_queries


def handlers(services: Services, runtime: Runtime) -> list[BaseHandler[Update, Context, None]]:
    async def list_sources(update: Update, context: Context) -> None:
        """/sources: every source with its health."""
        async with services.database.read() as session:
            lines = source_use.describe(await source_queries.all_sources(session))
        texts = await operator_texts(services, update)
        body = "\n".join(escape(line) for line in lines) or texts("sources.none")
        await reply(update, f"{texts('sources.heading')}\n{body}"[:4000])

    async def add(update: Update, context: Context) -> None:
        """/addsource <url> [minutes] [kind]."""
        texts = await operator_texts(services, update)
        args = list(context.args or [])
        if not args:
            await reply(update, texts("sources.add_usage"))
            return
        minutes = int(args[1]) if len(args) > 1 and args[1].isdigit() else 60
        kind = (
            args[2]
            if len(args) > 2
            else (args[1] if len(args) > 1 and not args[1].isdigit() else None)
        )
        try:
            async with services.database.write() as session:
                source = await source_use.add_source(
                    session, services, url=args[0], minutes=minutes, kind=kind
                )
        except source_use.SourceInputError as error:
            await reply(update, texts(error.key))
            return
        await reply(
            update,
            texts(
                "sources.added",
                id=source.id or 0,
                url=source.url,
                kind=source.kind,
                minutes=source.poll_minutes,
            ),
        )

    async def remove(update: Update, context: Context) -> None:
        """/removesource <id or url>."""
        texts = await operator_texts(services, update)
        reference = context.args[0] if context.args else ""
        async with services.database.write() as session:
            source = await source_use.find_source(session, reference=reference)
            if source is not None and source.id is not None:
                await source_queries.remove(session, source_id=source.id)
        if source is None:
            await reply(update, texts("sources.not_found", reference=reference))
        else:
            await reply(update, texts("sources.removed", url=source.url))

    async def poll_now(update: Update, context: Context) -> None:
        """/pollnow [id]: poll one source (re-enabling a paused one) or every due source now."""
        texts = await operator_texts(services, update)
        reference = context.args[0] if context.args else ""
        if reference:
            async with services.database.write() as session:
                source = await source_use.find_source(session, reference=reference)
                if source is not None:
                    source.enabled = True
            if source is None or source.id is None:
                await reply(update, texts("sources.not_found", reference=reference))
                return
            results = [await runtime.poller.poll(source.id)]
        else:
            results = await runtime.poller.poll_due()
        lines = [
            f"#{r.source_id}: {r.status}, new {r.new}" + (f" ({r.reason})" if r.reason else "")
            for r in results
        ]
        await reply(update, escape("\n".join(lines)) or texts("sources.nothing_due"))

    return [
        command("sources", operators_only(services, list_sources)),
        command("addsource", operators_only(services, add)),
        command("removesource", operators_only(services, remove)),
        command("pollnow", operators_only(services, poll_now)),
    ]
