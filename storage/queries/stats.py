"""Figures for operators: the state of chats and sources now, and what happened since an instant.

States are grouped as the gauges group them (storage.queries.metrics); counts over a window
read one row per delivery of the window, a day's worth at most.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import Article, Delivery, Subscription
from storage.queries import metrics as metric_queries
from storage.queries.deliveries import ALERT, FINISHED


@dataclass(frozen=True, slots=True)
class ChatStates:
    """Every chat in exactly one state: blocked wins over paused."""

    active: int = 0
    paused: int = 0
    blocked: int = 0

    @property
    def total(self) -> int:
        return self.active + self.paused + self.blocked


@dataclass(frozen=True, slots=True)
class SourceStates:
    """Paused: disabled after failing; failing: its last poll failed; healthy: the rest."""

    healthy: int = 0
    failing: int = 0
    paused: int = 0


@dataclass(frozen=True, slots=True)
class FinishedDelivery:
    """A digest that reached sent, empty or failed; `messages` is how many parts went out."""

    finished_at: datetime
    status: str
    messages: int
    possible_repeats: int


@dataclass(frozen=True, slots=True)
class Lag:
    """A scheduled digest's first part: when it went out, and how long after it was due."""

    first_sent_at: datetime
    seconds: float


async def chats_by_state(session: AsyncSession) -> ChatStates:
    """The same grouping as the `newsdigest_chats` gauge, so /stats and /metrics agree."""
    return ChatStates(**await metric_queries.chats_by_state(session))


async def sources_by_state(session: AsyncSession) -> SourceStates:
    """The same grouping as the `newsdigest_sources` gauge."""
    return SourceStates(**await metric_queries.sources_by_state(session))


async def subscriptions_per_region(session: AsyncSession) -> list[tuple[str, int]]:
    """Region slugs by how many chats follow them, the most followed first."""
    rows = await session.execute(
        select(col(Subscription.value), func.count())
        .where(col(Subscription.kind) == "region")
        .group_by(col(Subscription.value))
        .order_by(func.count().desc(), col(Subscription.value))
    )
    return [(str(slug), int(count)) for slug, count in rows]


async def articles_ingested(session: AsyncSession, *, since: datetime) -> int:
    """New articles stored since `since` (duplicates and rejected items leave no row)."""
    statement = select(func.count()).select_from(Article).where(col(Article.ingested_at) >= since)
    return int((await session.execute(statement)).scalar_one())


async def finished_deliveries(session: AsyncSession, *, since: datetime) -> list[FinishedDelivery]:
    """Deliveries that reached sent, empty or failed at or after `since`, oldest first."""
    rows = await session.execute(
        select(
            col(Delivery.finished_at),
            col(Delivery.status),
            col(Delivery.message_ids),
            col(Delivery.possible_repeats),
        )
        .where(col(Delivery.finished_at) >= since)
        .where(col(Delivery.status).in_(FINISHED))
        .where(col(Delivery.kind) != ALERT)
        .order_by(col(Delivery.finished_at))
    )
    return [
        FinishedDelivery(finished, str(status), len(ids or []), int(repeats))
        for finished, status, ids, repeats in rows
        if finished is not None
    ]


async def delivery_lags(session: AsyncSession, *, since: datetime) -> list[Lag]:
    """Scheduled digests whose first part went out at or after `since`, oldest first."""
    rows = await session.execute(
        select(col(Delivery.due_at), col(Delivery.first_sent_at))
        .where(col(Delivery.kind) == "scheduled")
        .where(col(Delivery.first_sent_at) >= since)
        .order_by(col(Delivery.first_sent_at))
    )
    return [
        Lag(first_sent, max((first_sent - due).total_seconds(), 0.0))
        for due, first_sent in rows
        if first_sent is not None
    ]
