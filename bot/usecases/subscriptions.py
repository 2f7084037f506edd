"""Subscribing and unsubscribing: names resolved to slugs, keywords, exclusions, previews."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from bot.digests.interests import EXCLUDE, KEYWORD, chat_interests
from bot.digests.preview import compose_digest
from bot.digests.window import bounds_recent
from bot.domain.digest import Digest
from bot.domain.gazetteer import Gazetteer
from bot.domain.name_resolution import Resolution, Target, resolve_exact, resolve_name
from bot.domain.subscribe_args import (
    Exclusion,
    Keyword,
    Names,
    TermError,
    normalize_keyword,
    parse_subscription_args,
    segment,
)
from bot.services import Services
from bot.usecases.chats import ChatRef, open_target
from storage.models import Chat, Subscription
from storage.queries import chats as chat_queries

PREVIEW_CAP = 10_000


@dataclass(frozen=True, slots=True)
class Unknown:
    """A name that resolved to nothing, with the closest known names."""

    typed: str
    suggestions: tuple[Target, ...]


@dataclass
class Request:
    """What a /subscribe or /unsubscribe text asks for, and what could not be understood."""

    items: list[tuple[str, str]] = field(default_factory=list)
    unknown: list[Unknown] = field(default_factory=list)
    errors: list[TermError] = field(default_factory=list)


@dataclass
class Outcome:
    """What changed, what already was so, what was not understood, and the 7-day preview."""

    changed: list[tuple[str, str]] = field(default_factory=list)
    unchanged: list[tuple[str, str]] = field(default_factory=list)
    unknown: list[Unknown] = field(default_factory=list)
    errors: list[TermError] = field(default_factory=list)
    recent_matches: int | None = None
    language: str = "en"  # the chat's, for the reply


@dataclass(frozen=True, slots=True)
class Followed:
    """What a chat follows, in the language it reads."""

    language: str
    subscriptions: list[Subscription]


async def change(services: Services, ref: ChatRef, text: str, *, add: bool) -> Outcome:
    """/subscribe or /unsubscribe: the chat (or the channel it manages) follows more or less."""
    request = read_request(services.gazetteer, text)
    async with services.database.write() as session:
        _, chat = await open_target(session, services, ref)
        outcome = await apply(session, services, chat, request, add=add)
    outcome.language = chat.language
    return outcome


async def followed(services: Services, ref: ChatRef) -> Followed:
    """Everything the chat (or the channel it manages) follows; first contact opens the chat."""
    async with services.database.write() as session:
        _, chat = await open_target(session, services, ref)
        current = await chat_queries.subscriptions_of(session, chat_id=chat.id)
    return Followed(chat.language, list(current))


def read_request(gazetteer: Gazetteer, text: str) -> Request:
    """Resolve every term of a command: names to region/topic slugs, quotes to keywords."""
    request = Request()
    try:
        terms = parse_subscription_args(text)
    except TermError as error:
        request.errors.append(error)
        return request

    def lookup(span: str) -> Target | None:
        # Several words must name something exactly; one word may be misspelt.
        if " " in span.strip():
            return resolve_exact(gazetteer, span)
        return resolve_name(gazetteer, span).target

    for term in terms:
        if isinstance(term, Names):
            for span, target in segment(term.words, lookup):
                if target is None:
                    found: Resolution = resolve_name(gazetteer, span.text)
                    request.unknown.append(Unknown(span.text, found.suggestions))
                else:
                    request.items.append((target.kind, target.slug))
        elif isinstance(term, Keyword | Exclusion):
            kind = KEYWORD if isinstance(term, Keyword) else EXCLUDE
            try:
                request.items.append((kind, normalize_keyword(term.text)))
            except TermError as error:
                request.errors.append(error)
    request.items = list(dict.fromkeys(request.items))
    return request


async def apply(
    session: AsyncSession, services: Services, chat: Chat, request: Request, *, add: bool
) -> Outcome:
    """Add or remove the requested items; count what the new interests would have matched."""
    now = services.clock.now()
    outcome = Outcome(unknown=request.unknown, errors=request.errors)
    if add:
        outcome.changed = await chat_queries.add_subscriptions(
            session, chat_id=chat.id, items=request.items, now=now
        )
    else:
        current = {
            (s.kind, s.value) for s in await chat_queries.subscriptions_of(session, chat_id=chat.id)
        }
        outcome.changed = [item for item in request.items if item in current]
        await chat_queries.remove_subscriptions(session, chat_id=chat.id, items=outcome.changed)
    outcome.unchanged = [item for item in request.items if item not in outcome.changed]
    if outcome.changed:
        outcome.recent_matches = await recent_matches(session, services, chat)
    return outcome


async def toggle(
    session: AsyncSession, services: Services, chat: Chat, *, kind: str, value: str
) -> bool:
    """Switch one region or topic on or off (keyboards); whether it is now on."""
    current = {
        (s.kind, s.value) for s in await chat_queries.subscriptions_of(session, chat_id=chat.id)
    }
    if (kind, value) in current:
        await chat_queries.remove_subscriptions(session, chat_id=chat.id, items=[(kind, value)])
        return False
    await chat_queries.add_subscriptions(
        session, chat_id=chat.id, items=[(kind, value)], now=services.clock.now()
    )
    return True


async def recent_digest(
    session: AsyncSession, services: Services, chat: Chat, *, item_cap: int
) -> Digest:
    """The chat's interests over the last days, watermark ignored: previews and /latest."""
    bounds = await bounds_recent(
        session, now=services.clock.now(), max_age_days=services.settings.article_max_age_days
    )
    return await compose_digest(
        session,
        interests=await chat_interests(session, chat_id=chat.id, official_only=chat.official_only),
        language=chat.language,
        bounds=bounds,
        item_cap=item_cap,
    )


async def recent_matches(session: AsyncSession, services: Services, chat: Chat) -> int:
    """How many stories of the last days these interests would have brought."""
    digest = await recent_digest(session, services, chat, item_cap=PREVIEW_CAP)
    return len(digest.items) + digest.overflow
