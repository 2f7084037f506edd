"""Chat and subscription queries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import Chat, Delivery, Subscription, TopicRoute

_BATCH = 500  # ids per IN list


async def chats_by_ids(session: AsyncSession, *, chat_ids: Sequence[int]) -> dict[int, Chat]:
    """Chats by id (missing ones are absent)."""
    if not chat_ids:
        return {}
    rows = await session.scalars(select(Chat).where(col(Chat.id).in_(list(chat_ids))))
    return {chat.id: chat for chat in rows}


async def get_chat(session: AsyncSession, *, chat_id: int) -> Chat | None:
    """The chat, or None when it never talked to the bot (or was forgotten)."""
    return await session.get(Chat, chat_id)


async def create_chat(session: AsyncSession, *, chat: Chat) -> Chat:
    """Store a new chat (the caller filled in its defaults)."""
    session.add(chat)
    await session.flush()
    return chat


async def delete_chat(session: AsyncSession, *, chat_id: int) -> bool:
    """Forget a chat and its subscriptions (the ledger is kept); whether it existed."""
    result = await session.execute(delete(Chat).where(col(Chat.id) == chat_id))
    return bool(getattr(result, "rowcount", 0))


async def subscriptions_of_chats(
    session: AsyncSession, *, chat_ids: Sequence[int]
) -> dict[int, list[Subscription]]:
    """Every subscription of each chat, in batches (chats without any are absent)."""
    found: dict[int, list[Subscription]] = {}
    for start in range(0, len(chat_ids), _BATCH):
        rows = await session.execute(
            select(Subscription)
            .where(col(Subscription.chat_id).in_(chat_ids[start : start + _BATCH]))
            .order_by(col(Subscription.id))
        )
        for subscription in rows.scalars():
            found.setdefault(subscription.chat_id, []).append(subscription)
    return found


async def subscriptions_of(session: AsyncSession, *, chat_id: int) -> Sequence[Subscription]:
    """A chat's subscriptions in the order they were made."""
    rows = await session.execute(
        select(Subscription)
        .where(col(Subscription.chat_id) == chat_id)
        .order_by(col(Subscription.id))
    )
    return rows.scalars().all()


async def add_subscriptions(
    session: AsyncSession, *, chat_id: int, items: Iterable[tuple[str, str]], now: datetime
) -> list[tuple[str, str]]:
    """Add (kind, value) subscriptions; returns the ones that were new."""
    existing = {(s.kind, s.value) for s in await subscriptions_of(session, chat_id=chat_id)}
    added: list[tuple[str, str]] = []
    for kind, value in items:
        if (kind, value) in existing:
            continue
        existing.add((kind, value))
        session.add(Subscription(chat_id=chat_id, kind=kind, value=value, created_at=now))
        added.append((kind, value))
    await session.flush()
    return added


async def remove_subscriptions(
    session: AsyncSession, *, chat_id: int, items: Iterable[tuple[str, str]]
) -> int:
    """Remove (kind, value) subscriptions; how many there were."""
    removed = 0
    for kind, value in items:
        result = await session.execute(
            delete(Subscription)
            .where(col(Subscription.chat_id) == chat_id)
            .where(col(Subscription.kind) == kind)
            .where(col(Subscription.value) == value)
        )
        removed += int(getattr(result, "rowcount", 0) or 0)
    return removed


async def remove_subscription_by_id(
    session: AsyncSession, *, chat_id: int, subscription_id: int
) -> Subscription | None:
    """Remove one subscription of this chat by id; the removed row, or None if not found."""
    found = await session.get(Subscription, subscription_id)
    if found is None or found.chat_id != chat_id:
        return None
    await session.delete(found)
    return found


async def migrate_chat(session: AsyncSession, *, old_id: int, new_id: int) -> bool:
    """A group became a supergroup: its settings, subscriptions and routes move to the new id."""
    old = await session.get(Chat, old_id)
    if old is None or await session.get(Chat, new_id) is not None:
        return False
    values = {column: getattr(old, column) for column in Chat.model_fields if column != "id"}
    session.add(Chat(id=new_id, **{**values, "type": "supergroup"}))
    await session.flush()
    await session.execute(
        update(Subscription).where(col(Subscription.chat_id) == old_id).values(chat_id=new_id)
    )
    await session.execute(
        update(TopicRoute).where(col(TopicRoute.chat_id) == old_id).values(chat_id=new_id)
    )
    await session.execute(
        update(Delivery).where(col(Delivery.chat_id) == old_id).values(chat_id=new_id)
    )
    await session.execute(delete(Chat).where(col(Chat.id) == old_id))
    return True


async def channels_of(session: AsyncSession, *, owner_user_id: int) -> Sequence[Chat]:
    """The channels a user linked."""
    rows = await session.execute(
        select(Chat)
        .where(col(Chat.owner_user_id) == owner_user_id)
        .where(col(Chat.type) == "channel")
        .order_by(col(Chat.title))
    )
    return rows.scalars().all()


async def routes_of(session: AsyncSession, *, chat_id: int) -> Sequence[TopicRoute]:
    """A forum's routes: which region or topic goes to which forum topic."""
    return (await routes_of_chats(session, chat_ids=[chat_id])).get(chat_id, [])


async def routes_of_chats(
    session: AsyncSession, *, chat_ids: Sequence[int]
) -> dict[int, list[TopicRoute]]:
    """Each forum's routes in the order they were set (chats without any are absent)."""
    if not chat_ids:
        return {}
    rows = await session.scalars(
        select(TopicRoute)
        .where(col(TopicRoute.chat_id).in_(list(chat_ids)))
        .order_by(col(TopicRoute.id))
    )
    found: dict[int, list[TopicRoute]] = {}
    for route in rows:
        found.setdefault(route.chat_id, []).append(route)
    return found


async def set_route(
    session: AsyncSession, *, chat_id: int, kind: str, value: str, thread_id: int, name: str
) -> None:
    """Send one region's or topic's news to a forum topic (replacing an earlier route)."""
    await session.execute(
        delete(TopicRoute)
        .where(col(TopicRoute.chat_id) == chat_id)
        .where(col(TopicRoute.kind) == kind)
        .where(col(TopicRoute.value) == value)
    )
    session.add(
        TopicRoute(chat_id=chat_id, kind=kind, value=value, thread_id=thread_id, thread_name=name)
    )
    await session.flush()


async def remove_routes(session: AsyncSession, *, chat_id: int, thread_id: int) -> int:
    """Forget every route to one forum topic; how many there were."""
    result = await session.execute(
        delete(TopicRoute)
        .where(col(TopicRoute.chat_id) == chat_id)
        .where(col(TopicRoute.thread_id) == thread_id)
    )
    return int(getattr(result, "rowcount", 0) or 0)
