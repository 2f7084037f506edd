"""The sender lease: one `newsdigest run` per bot token polls and sends; others stand by."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, or_

from storage.models import Lease


async def acquire(
    session: AsyncSession, *, name: str, holder: str, now: datetime, until: datetime
) -> bool:
    """Take or renew the lease if it is free, expired, or already ours; whether we hold it.

    Run in a write transaction: on SQLite it holds the write lock, on PostgreSQL the row
    update is atomic, so two instances can never both succeed.
    """
    result = await session.execute(
        update(Lease)
        .where(col(Lease.name) == name)
        .where(or_(col(Lease.holder) == holder, col(Lease.expires_at) < now))
        .values(holder=holder, expires_at=until)
    )
    if getattr(result, "rowcount", 0):
        return True
    if await session.get(Lease, name) is not None:
        return False
    session.add(Lease(name=name, holder=holder, expires_at=until))
    await session.flush()
    return True


async def release(session: AsyncSession, *, name: str, holder: str) -> None:
    """Give the lease up at once (a clean shutdown), so a standby takes over without waiting."""
    await session.execute(
        delete(Lease).where(col(Lease.name) == name).where(col(Lease.holder) == holder)
    )
