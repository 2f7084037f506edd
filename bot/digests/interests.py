"""A chat's subscriptions read as digest interests: what every digest path selects by."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.digest import Interests
from storage.models import Subscription
from storage.queries import chats as chat_queries

REGION, TOPIC, KEYWORD, EXCLUDE = "region", "topic", "keyword", "exclude"


def interests_from(subscriptions: Sequence[Subscription]) -> Interests:
    """A chat's interests in the digest domain's terms (regions keep their order)."""
    by_kind: dict[str, list[str]] = {REGION: [], TOPIC: [], KEYWORD: [], EXCLUDE: []}
    for subscription in subscriptions:
        by_kind.setdefault(subscription.kind, []).append(subscription.value)
    return Interests.of(by_kind[REGION], by_kind[TOPIC], by_kind[KEYWORD], by_kind[EXCLUDE])


async def chat_interests(
    session: AsyncSession, *, chat_id: int, official_only: bool = False
) -> Interests:
    """The chat's interests; `official_only` is its /official setting, which digests honour."""
    interests = interests_from(await chat_queries.subscriptions_of(session, chat_id=chat_id))
    return replace(interests, official_only=official_only)
