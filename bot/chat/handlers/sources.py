"""Operators manage sources from Telegram: /sources, /addsource, /removesource, /pollnow.

`/addsource https://site.kz` without a kind looks for the site's feeds and offers them with
buttons (bot.chat.source_offers keeps the addresses); `answer_offer` applies the press.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import CallbackQuery, Update
from telegram.error import BadRequest
from telegram.ext import BaseHandler

from bot.chat import keyboards
from bot.chat.actions import MAX_OFFERED, AnswerSourceOffer
from bot.chat.common import Context, chat_ref, command, reply
from bot.chat.operators_only import operators_only
from bot.chat.operators_only import texts_for as operator_texts
from bot.chat.runtime import Runtime
from bot.chat.source_offers import SourceOffer
from bot.domain.telegram_html import fit_lines, visible_text
from bot.domain.user_input import parse_natural, quote_input
from bot.i18n import BoundTranslator
from bot.ingest.errors import SourceError
from bot.services import Services
from bot.usecases import source_discovery
from bot.usecases import sources as source_use
from bot.usecases.sources import MAX_MINUTES, MIN_MINUTES
from storage.models import Source
from storage.queries import sources as source_queries

URL_MAX_CHARS = 200  # an address quoted in a reply
LINE_MAX_CHARS = 1000  # a line of /sources or /pollnow: address, state and last error
MAX_SOURCE_ID = 2**63 - 1  # the largest id the database can hold


async def _find(session: AsyncSession, reference: str) -> Source | None:
    """A source by id or address; a number that cannot be an id (5,000 digits, "²") is none."""
    if reference.isdigit() and parse_natural(reference, maximum=MAX_SOURCE_ID) is None:
        return None
    return await source_use.find_source(session, reference=reference)


def handlers(services: Services, runtime: Runtime) -> list[BaseHandler[Update, Context, None]]:
    async def list_sources(update: Update, context: Context) -> None:
        """/sources: every source with its health."""
        async with services.database.read() as session:
            lines = source_use.describe(await source_queries.all_sources(session))
        texts = await operator_texts(services, update)
        body = [quote_input(line, limit=LINE_MAX_CHARS) for line in lines]
        body = body or [texts("sources.none")]
        await reply(update, fit_lines([texts("sources.heading"), *body]))

    async def add(update: Update, context: Context) -> None:
        """/addsource <url> [minutes] [kind]; a site without a kind is searched for feeds."""
        texts = await operator_texts(services, update)
        args = list(context.args or [])
        if not args:
            await reply(update, texts("sources.add_usage"))
            return
        numbered = len(args) > 1 and args[1].isascii() and args[1].isdigit()
        minutes = parse_natural(args[1], maximum=MAX_MINUTES) if numbered else 60
        if minutes is None:
            await reply(update, texts("sources.bad_minutes"))
            return
        kind = args[2] if len(args) > 2 else (args[1] if len(args) > 1 and not numbered else None)
        if source_discovery.needs_discovery(args[0], kind):
            await _offer_feeds(services, runtime, update, texts, args[0], minutes)
            return
        try:
            async with services.database.write() as session:
                source = await source_use.add_source(
                    session,
                    services,
                    url=args[0],
                    minutes=minutes,
                    kind=kind,
                    local_files_allowed=False,  # a Telegram account never names files
                )
        except source_use.SourceInputError as error:
            await reply(update, texts(error.key, **error.params))
            return
        await reply(
            update,
            texts(
                "sources.added",
                id=source.id or 0,
                url=quote_input(source.url, limit=URL_MAX_CHARS),
                kind=source.kind,
                minutes=source.poll_minutes,
            ),
        )

    async def remove(update: Update, context: Context) -> None:
        """/removesource <id or url>."""
        texts = await operator_texts(services, update)
        reference = context.args[0] if context.args else ""
        async with services.database.write() as session:
            source = await _find(session, reference)
            if source is not None and source.id is not None:
                await source_queries.remove(session, source_id=source.id)
        if source is None:
            await reply(update, texts("sources.not_found", reference=quote_input(reference)))
        else:
            url = quote_input(source.url, limit=URL_MAX_CHARS)
            await reply(update, texts("sources.removed", url=url))

    async def poll_now(update: Update, context: Context) -> None:
        """/pollnow [id]: poll one source (re-enabling a paused one) or every due source now."""
        texts = await operator_texts(services, update)
        reference = context.args[0] if context.args else ""
        if reference:
            async with services.database.write() as session:
                source = await _find(session, reference)
                if source is not None:
                    source.enabled = True
            if source is None or source.id is None:
                await reply(update, texts("sources.not_found", reference=quote_input(reference)))
                return
            results = [await runtime.poller.poll(source.id)]
        else:
            results = await runtime.poller.poll_due()
        lines = [
            f"#{r.source_id}: {r.status}, new {r.new}" + (f" ({r.reason})" if r.reason else "")
            for r in results
        ]
        body = [quote_input(line, limit=LINE_MAX_CHARS) for line in lines]
        await reply(update, fit_lines(body) if body else texts("sources.nothing_due"))

    return [
        command("sources", operators_only(services, list_sources)),
        # Looking for a site's feeds takes up to DISCOVERY_SECONDS: never hold up other chats.
        command("addsource", operators_only(services, add), block=False),
        command("removesource", operators_only(services, remove)),
        # A poll can last up to POLL_DEADLINE_SECONDS: never hold up other chats for it.
        command("pollnow", operators_only(services, poll_now), block=False),
    ]


async def _offer_feeds(
    services: Services,
    runtime: Runtime,
    update: Update,
    texts: BoundTranslator,
    url: str,
    minutes: int,
) -> None:
    """Look for the site's feeds; offer them, the page as a listing, or cancel as buttons."""
    ref = chat_ref(update)
    if ref is None:
        return
    if minutes < MIN_MINUTES:
        await reply(update, texts("sources.bad_minutes"))
        return
    quoted = quote_input(url, limit=URL_MAX_CHARS)
    try:
        feeds = await source_discovery.find_feeds(
            services, runtime.http, runtime.parsing, url, local_files_allowed=False
        )
        text = texts("discovery.found" if feeds else "discovery.none", url=quoted, minutes=minutes)
    except source_use.SourceInputError as error:
        await reply(update, texts(error.key, **error.params))
        return
    except SourceError as error:
        feeds, text = [], texts("discovery.unreadable", url=quoted, reason=error.reason)
    offer = SourceOffer(ref.chat_id, url, minutes, tuple(feeds[:MAX_OFFERED]), services.clock.now())
    offer_id = runtime.offers.put(offer)
    await reply(update, text, keyboards.source_offer(texts, offer_id, offer.feeds))


async def answer_offer(
    services: Services, runtime: Runtime, update: Update, action: AnswerSourceOffer
) -> None:
    """A press on a discovery offer (operators only, while it is fresh): add what was chosen."""
    query, ref, user = update.callback_query, chat_ref(update), update.effective_user
    if query is None or ref is None:
        return
    texts = await operator_texts(services, update)
    if user is None or user.id not in services.settings.admin_user_ids:
        await query.answer(visible_text(texts("discovery.operators_only")), show_alert=True)
        return
    offer = runtime.offers.get(action.offer, chat_id=ref.chat_id, now=services.clock.now())
    chosen = _chosen(offer, action) if offer is not None else None
    if offer is None or chosen is None:
        runtime.offers.discard(action.offer)
        gone = "discovery.expired" if offer is None else "discovery.cancelled"
        await _replace(query, texts(gone))
        return
    url, kind = chosen
    try:
        async with services.database.write() as session:
            source = await source_use.add_source(
                session, services, url=url, minutes=offer.minutes, kind=kind
            )
    except source_use.SourceInputError as error:
        await query.answer(visible_text(texts(error.key, **error.params)), show_alert=True)
        return
    runtime.offers.discard(action.offer)
    quoted = quote_input(source.url, limit=URL_MAX_CHARS)
    await _replace(
        query,
        texts("sources.added", id=source.id or 0, url=quoted, kind=kind, minutes=offer.minutes),
    )


def _chosen(offer: SourceOffer, action: AnswerSourceOffer) -> tuple[str, str] | None:
    """The address and kind a press asks to add; None for cancel."""
    if action.choice == "feed" and action.index < len(offer.feeds):
        return offer.feeds[action.index].url, "rss"
    if action.choice == "listing":
        return offer.page_url, "listing"
    return None


async def _replace(query: CallbackQuery, text: str) -> None:
    """The offer's message becomes `text`, without buttons; the press is answered."""
    try:
        await query.edit_message_text(text)
    except BadRequest as error:
        if "not modified" not in error.message.lower():
            raise
    await query.answer()
