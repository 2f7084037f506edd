"""The few grouped counts behind the operators' gauges, and the health check's probe.

One query per gauge, whatever the number of chats or sources: the gauges are refreshed every
few seconds, so none of this may grow with the data.
"""

from __future__ import annotations

from sqlalchemy import case, func, literal, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlmodel import col

from storage.models import Chat, Delivery, Lease, Source
from storage.queries.deliveries import ALERT, CLAIMED


async def chats_by_state(session: AsyncSession) -> dict[str, int]:
    """Chats as "blocked", "paused" or "active"; a blocked chat counts as blocked only."""
    state = case(
        (col(Chat.blocked).is_(True), "blocked"),
        (col(Chat.paused).is_(True), "paused"),
        else_="active",
    )
    rows = await session.execute(select(state, func.count()).group_by(state))
    return {str(name): int(count) for name, count in rows}


async def sources_by_state(session: AsyncSession) -> dict[str, int]:
    """Sources as "paused" (disabled), "failing" (last poll failed) or "healthy"."""
    state = case(
        (col(Source.enabled).is_(False), "paused"),
        (col(Source.consecutive_failures) > 0, "failing"),
        else_="healthy",
    )
    rows = await session.execute(select(state, func.count()).group_by(state))
    return {str(name): int(count) for name, count in rows}


async def digests_due(session: AsyncSession) -> int:
    """Digests claimed and not finished: being sent now, or waiting for a retry."""
    statement = (
        select(func.count())
        .select_from(Delivery)
        .where(col(Delivery.status) == CLAIMED, col(Delivery.kind) != ALERT)
    )
    return int((await session.execute(statement)).scalar_one())


async def probe(connection: AsyncConnection) -> None:
    """Read one row of a table of ours: fails unless the database opens and has our schema
    (a bare SELECT 1 succeeds even where a missing SQLite file was just recreated empty)."""
    await connection.execute(select(literal(1)).select_from(Lease).limit(1))
