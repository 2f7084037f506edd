"""What a chat follows, one tap at a time: the region and topic toggles, the remove buttons."""

from __future__ import annotations

from dataclasses import dataclass

from bot.services import Services
from bot.usecases import subscriptions as subscribing
from bot.usecases.chats import ChatRef, open_target
from storage.models import Subscription
from storage.queries import chats as chat_queries


@dataclass(frozen=True, slots=True)
class Toggled:
    """What the chat follows after a toggle, how many recent stories that would bring, and
    whether it has alerts on (onboarding's topics step offers them)."""

    language: str
    subscriptions: list[Subscription]
    matches: int
    alerts: bool = False


@dataclass(frozen=True, slots=True)
class Removed:
    """The subscription removed (None: it was already gone), what remains, and how many recent
    stories that would bring (only counted when something was removed)."""

    language: str
    removed: Subscription | None
    remaining: list[Subscription]
    matches: int | None


async def toggle(services: Services, ref: ChatRef, *, kind: str, value: str) -> Toggled:
    """Switch one region or topic on or off."""
    async with services.database.write() as session:
        _, chat = await open_target(session, services, ref)
        await subscribing.toggle(session, services, chat, kind=kind, value=value)
        subscriptions = await chat_queries.subscriptions_of(session, chat_id=chat.id)
        matches = await subscribing.recent_matches(session, services, chat)
    return Toggled(chat.language, list(subscriptions), matches, chat.alerts)


async def remove(services: Services, ref: ChatRef, subscription_id: int) -> Removed:
    """Remove one subscription by its id, as /mysubs listed it."""
    async with services.database.write() as session:
        _, chat = await open_target(session, services, ref)
        removed = await chat_queries.remove_subscription_by_id(
            session, chat_id=chat.id, subscription_id=subscription_id
        )
        remaining = await chat_queries.subscriptions_of(session, chat_id=chat.id)
        matches = None
        if removed is not None:
            matches = await subscribing.recent_matches(session, services, chat)
    return Removed(chat.language, removed, list(remaining), matches)
