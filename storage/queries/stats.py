"""Figures for operators."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import Article, Chat, Delivery, Subscription
from storage.queries.deliveries import FAILED, SENT


@dataclass(frozen=True, slots=True)
class Figures:
    chats: int
    active: int
    paused: int
    blocked: int
    subscriptions_per_region: list[tuple[str, int]]
    articles_today: int
    digests_sent_today: int
    digests_failed_today: int
    lag_average_seconds: float
    lag_max_seconds: float


async def _count(session: AsyncSession, statement: object) -> int:
    return int((await session.execute(statement)).scalar_one())  # type: ignore[call-overload]


async def collect(session: AsyncSession, *, since: datetime) -> Figures:
    """Chats by state, subscriptions per region, and what happened since `since`."""
    chats = select(func.count()).select_from(Chat)
    regions = await session.execute(
        select(col(Subscription.value), func.count())
        .where(col(Subscription.kind) == "region")
        .group_by(col(Subscription.value))
        .order_by(func.count().desc(), col(Subscription.value))
    )
    deliveries = select(func.count()).select_from(Delivery).where(col(Delivery.claimed_at) >= since)
    lags = [
        (first_sent - due).total_seconds()
        for due, first_sent in await session.execute(
            select(col(Delivery.due_at), col(Delivery.first_sent_at))
            .where(col(Delivery.kind) == "scheduled")
            .where(col(Delivery.claimed_at) >= since)
            .where(col(Delivery.first_sent_at).is_not(None))
        )
        if first_sent is not None
    ]
    return Figures(
        chats=await _count(session, chats),
        active=await _count(
            session, chats.where(col(Chat.paused).is_(False)).where(col(Chat.blocked).is_(False))
        ),
        paused=await _count(session, chats.where(col(Chat.paused).is_(True))),
        blocked=await _count(session, chats.where(col(Chat.blocked).is_(True))),
        subscriptions_per_region=[(str(slug), int(count)) for slug, count in regions],
        articles_today=await _count(
            session,
            select(func.count()).select_from(Article).where(col(Article.ingested_at) >= since),
        ),
        digests_sent_today=await _count(session, deliveries.where(col(Delivery.status) == SENT)),
        digests_failed_today=await _count(
            session, deliveries.where(col(Delivery.status) == FAILED)
        ),
        lag_average_seconds=sum(lags) / len(lags) if lags else 0.0,
        lag_max_seconds=max(lags, default=0.0),
    )
