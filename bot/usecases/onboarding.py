"""/start: a new chat is welcomed, a known one sees its settings, a deep link subscribes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.domain.name_resolution import parse_deep_link_payload
from bot.services import Services
from bot.usecases import subscriptions as subscribing
from bot.usecases.chats import ChatRef, open_chat
from storage.models import Chat, Subscription
from storage.queries import chats as chat_queries

# What /start shows unless a deep link named something: the first onboarding step, or the settings.
Opening = Literal["welcome", "settings"]


@dataclass(frozen=True, slots=True)
class Started:
    """The chat as /start found it and what to show: the deep link's `outcome` when it named
    something, else the opening."""

    chat: Chat
    subscriptions: list[Subscription]
    opening: Opening
    outcome: subscribing.Outcome | None = None


async def start(services: Services, ref: ChatRef, payload: str) -> Started:
    """Open the chat; a deep-link payload (regions and topics) subscribes it to them.

    A chat that follows nothing yet is onboarded again, even if it is not new."""
    async with services.database.write() as session:
        chat, created = await open_chat(session, services, ref)
        subscriptions = list(await chat_queries.subscriptions_of(session, chat_id=chat.id))
        outcome = None
        if payload:
            targets = parse_deep_link_payload(services.gazetteer, payload)
            request = subscribing.Request(items=[(t.kind, t.slug) for t in targets])
            outcome = await subscribing.apply(session, services, chat, request, add=True)
    opening: Opening = "welcome" if created or not subscriptions else "settings"
    named = outcome is not None and bool(outcome.changed or outcome.unchanged)
    return Started(chat, subscriptions, opening, outcome if named else None)
