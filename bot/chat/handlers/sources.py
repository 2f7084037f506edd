"""Operators manage sources from Telegram: /sources, /addsource, /removesource, /pollnow.

`/addsource https://site.kz` without a kind looks for the site's feeds and offers them with
buttons (bot.chat.source_offers keeps the addresses); `answer_offer` applies the press.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import CallbackQuery, Update
from telegram.error import BadRequest
from telegram.ext import BaseHandler

from bot.chat import keyboards
from bot.chat.actions import MAX_OFFERED, AnswerSourceOffer
from bot.chat.common import Context, Reply, answers, chat_ref, command, texts_for
from bot.chat.operators_only import is_operator, operators_only
from bot.chat.source_offers import SourceOffer
from bot.domain.telegram_html import fit_lines, visible_text
from bot.domain.user_input import parse_natural, quote_input
from bot.i18n import BoundTranslator
from bot.usecases import source_operations as operating
from bot.usecases.chats import ChatRef
from bot.usecases.source_discovery import needs_discovery
from bot.usecases.sources import MAX_MINUTES, SourceInputError

URL_MAX_CHARS = 200  # an address quoted in a reply
LINE_MAX_CHARS = 1000  # a line of /sources or /pollnow: address, state and last error
DEFAULT_MINUTES = 60


@dataclass(frozen=True, slots=True)
class AddRequest:
    """What `/addsource <url> [minutes] [kind]` asks for."""

    url: str
    minutes: int
    kind: str | None


def read_add_request(words: list[str]) -> AddRequest | str:
    """The request in /addsource's words, or the message key saying what is wrong with them:
    the second word is the minutes when it is a number, else the kind."""
    if not words:
        return "sources.add_usage"
    numbered = len(words) > 1 and words[1].isascii() and words[1].isdigit()
    minutes = parse_natural(words[1], maximum=MAX_MINUTES) if numbered else DEFAULT_MINUTES
    if minutes is None:
        return "sources.bad_minutes"
    kind = words[2] if len(words) > 2 else (words[1] if len(words) > 1 and not numbered else None)
    return AddRequest(words[0], minutes, kind)


@answers
async def list_sources(context: Context, ref: ChatRef, args: str) -> Reply:
    """/sources: every source with its health."""
    listing = await operating.listing(context.services, ref)
    texts = context.services.texts(listing.language)
    body = [quote_input(line, limit=LINE_MAX_CHARS) for line in listing.lines]
    return Reply(fit_lines([texts("sources.heading"), *(body or [texts("sources.none")])]))


@answers
async def add(context: Context, ref: ChatRef, args: str) -> Reply:
    """/addsource <url> [minutes] [kind]; a site without a kind is searched for feeds."""
    services = context.services
    request = read_add_request(list(context.args or []))
    if isinstance(request, str):
        return Reply((await texts_for(services, ref))(request))
    if needs_discovery(request.url, request.kind):
        return await _offer_feeds(context, ref, request)
    added = await operating.add(
        services, ref, url=request.url, minutes=request.minutes, kind=request.kind
    )
    return Reply(_added_text(services.texts(added.language), added))


@answers
async def remove(context: Context, ref: ChatRef, args: str) -> Reply:
    """/removesource <id or url>."""
    reference = context.args[0] if context.args else ""
    removed = await operating.remove(context.services, ref, reference)
    texts = context.services.texts(removed.language)
    if removed.source is None:
        return Reply(texts("sources.not_found", reference=quote_input(reference)))
    url = quote_input(removed.source.url, limit=URL_MAX_CHARS)
    return Reply(texts("sources.removed", url=url))


@answers
async def poll_now(context: Context, ref: ChatRef, args: str) -> Reply:
    """/pollnow [id]: poll one source (re-enabling a paused one) or every due source now."""
    reference = context.args[0] if context.args else ""
    report = await operating.poll(context.services, context.runtime.poller, ref, reference)
    texts = context.services.texts(report.language)
    if report.lines is None:
        return Reply(texts("sources.not_found", reference=quote_input(reference)))
    body = [quote_input(line, limit=LINE_MAX_CHARS) for line in report.lines]
    return Reply(fit_lines(body) if body else texts("sources.nothing_due"))


async def _offer_feeds(context: Context, ref: ChatRef, request: AddRequest) -> Reply:
    """Look for the site's feeds; offer them, the page as a listing, or cancel as buttons."""
    services, runtime = context.services, context.runtime
    found = await operating.discover(
        services, runtime.http, runtime.parsing, ref, url=request.url, minutes=request.minutes
    )
    texts = services.texts(found.language)
    if found.refusal is not None:
        return Reply(_refusal_text(texts, found.refusal))
    quoted = quote_input(request.url, limit=URL_MAX_CHARS)
    if found.unreadable is not None:
        text = texts("discovery.unreadable", url=quoted, reason=found.unreadable)
    else:
        key = "discovery.found" if found.feeds else "discovery.none"
        text = texts(key, url=quoted, minutes=request.minutes)
    feeds = tuple(found.feeds[:MAX_OFFERED])
    offer = SourceOffer(ref.chat_id, request.url, request.minutes, feeds, services.clock.now())
    offer_id = runtime.offers.put(offer)
    return Reply(text, keyboards.source_offer(texts, offer_id, offer.feeds))


async def answer_offer(update: Update, context: Context, action: AnswerSourceOffer) -> None:
    """A press on a discovery offer (operators only, while it is fresh): add what was chosen."""
    query, ref = update.callback_query, chat_ref(update)
    if query is None or ref is None:
        return
    services, offers = context.services, context.runtime.offers
    if not is_operator(services.settings, update):
        texts = await texts_for(services, ref)
        await query.answer(visible_text(texts("discovery.operators_only")), show_alert=True)
        return
    offer = offers.get(action.offer, chat_id=ref.chat_id, now=services.clock.now())
    chosen = offer.chosen(action.choice, action.index) if offer is not None else None
    if offer is None or chosen is None:
        offers.discard(action.offer)
        gone = "discovery.expired" if offer is None else "discovery.cancelled"
        await _replace(query, (await texts_for(services, ref))(gone))
        return
    url, kind = chosen
    added = await operating.add(services, ref, url=url, minutes=offer.minutes, kind=kind)
    await _answer_added(query, context, action.offer, added)


async def _answer_added(
    query: CallbackQuery, context: Context, offer_id: str, added: operating.Added
) -> None:
    """A refusal is an alert and the offer stays; an added source replaces the offer."""
    text = _added_text(context.services.texts(added.language), added)
    if isinstance(added.outcome, SourceInputError):
        await query.answer(visible_text(text), show_alert=True)
        return
    context.runtime.offers.discard(offer_id)
    await _replace(query, text)


def _added_text(texts: BoundTranslator, added: operating.Added) -> str:
    """The source added, or why it was not."""
    outcome = added.outcome
    if isinstance(outcome, SourceInputError):
        return _refusal_text(texts, outcome)
    url = quote_input(outcome.url, limit=URL_MAX_CHARS)
    return texts(
        "sources.added",
        id=outcome.id or 0,
        url=url,
        kind=outcome.kind,
        minutes=outcome.poll_minutes,
    )


def _refusal_text(texts: BoundTranslator, refusal: SourceInputError) -> str:
    """Why a source was not added or looked for, from the refusal's message key."""
    return texts(refusal.key, **refusal.params)


async def _replace(query: CallbackQuery, text: str) -> None:
    """The offer's message becomes `text`, without buttons; the press is answered."""
    try:
        await query.edit_message_text(text)
    except BadRequest as error:
        if "not modified" not in error.message.lower():
            raise
    await query.answer()


HANDLERS: list[BaseHandler[Update, Context, None]] = [
    command("sources", operators_only(list_sources)),
    # Looking for a site's feeds takes up to DISCOVERY_SECONDS: never hold up other chats.
    command("addsource", operators_only(add), block=False),
    command("removesource", operators_only(remove)),
    # A poll can last up to POLL_DEADLINE_SECONDS: never hold up other chats for it.
    command("pollnow", operators_only(poll_now), block=False),
]
