"""The delivery ledger: what each chat received, and its watermark into the article sequence."""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from sqlalchemy import (
    ColumnElement,
    Text,
    bindparam,
    case,
    cast,
    func,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import Chat, Delivery

logger = logging.getLogger(__name__)

# How long an instance whose claim came back short waits for other instances' open claims
# (`wait_for_claims`): a claim of CLAIM_BATCH chats commits well within it.
CLAIM_WAIT_SECONDS: Final = 5
LOCK_NOT_AVAILABLE: Final = "55P03"  # PostgreSQL's SQLSTATE for a lock_timeout

CLAIMED = "claimed"
SENT = "sent"
EMPTY = "empty"
FAILED = "failed"
FINISHED = (SENT, EMPTY, FAILED)  # the statuses a delivery ends in
# A claimed window counts too, so two runs never send the same articles; a claim that
# fails is marked FAILED and its articles come again.
DELIVERED = (CLAIMED, SENT, EMPTY)
# An urgent alert's row (storage/queries/alerts.py): no article window, so it never moves a
# chat's watermark, and the digest tick neither sends it nor counts it as a digest.
ALERT = "alert"


async def watermark(session: AsyncSession, *, chat_id: int) -> int | None:
    """The last article id a chat's digests covered; None before its first digest."""
    return (await watermarks(session, chat_ids=[chat_id])).get(chat_id)


async def last_delivered(session: AsyncSession, *, chat_id: int) -> Delivery | None:
    """The chat's most recent digest that was sent (for `/why n`)."""
    rows = await session.execute(
        select(Delivery)
        .where(col(Delivery.chat_id) == chat_id)
        .where(col(Delivery.kind) != ALERT)
        .where(col(Delivery.status) == SENT)
        .order_by(col(Delivery.window_end_id).desc(), col(Delivery.id).desc())
        .limit(1)
    )
    return rows.scalars().first()


async def record_delivery(session: AsyncSession, *, delivery: Delivery) -> Delivery:
    """Add a ledger row (the caller decides its status)."""
    session.add(delivery)
    await session.flush()
    return delivery


@dataclass(frozen=True, slots=True)
class DueChat:
    """A chat whose digest is due, with what is needed to claim it and reschedule it."""

    id: int
    next_due_at: datetime
    digest_time: str
    timezone: str
    frequency: str
    weekly_day: int | None


async def due_chats(session: AsyncSession, *, now: datetime, limit: int) -> list[DueChat]:
    """Chats due at `now`, most overdue first (paused and blocked chats are skipped).

    On PostgreSQL the rows are locked until the caller's transaction ends and rows another
    instance is claiming are skipped, so instances claim side by side, each chat once.
    SQLite serialises writers instead (and runs one sending instance).
    """
    query = (
        select(
            col(Chat.id),
            col(Chat.next_due_at),
            col(Chat.digest_time),
            col(Chat.timezone),
            col(Chat.frequency),
            col(Chat.weekly_day),
        )
        .where(col(Chat.next_due_at) <= now)
        .where(col(Chat.paused).is_(False))
        .where(col(Chat.blocked).is_(False))
        .order_by(col(Chat.next_due_at), col(Chat.id))
        .limit(limit)
    )
    if _locks_rows(session):
        query = query.with_for_update(skip_locked=True, of=Chat)
    rows = await session.execute(query)
    return [
        DueChat(chat_id, due, digest_time, zone, frequency, weekly_day)
        for chat_id, due, digest_time, zone, frequency, weekly_day in rows
        if due is not None
    ]


async def wait_for_claims(
    session: AsyncSession, *, now: datetime, seconds: float = CLAIM_WAIT_SECONDS
) -> None:
    """Wait, `seconds` at the most, until the claims other instances have in
    flight are committed (PostgreSQL; at once on SQLite, where writers queue anyway).

    `due_chats` skips chats another instance is claiming; an instance whose claim came back
    short because of that would otherwise find none of those rows yet, end its tick and
    leave them all to the other instance at its share of the rate. Locking a due chat
    without SKIP LOCKED (FOR NO KEY UPDATE: a claim's FOR UPDATE holds it, a delivery row
    being inserted for the chat does not) waits for such a claim; once it commits the chats
    it moved are no longer due. A chat that fell due meanwhile ends the wait at once, locked
    until the caller's transaction ends; a claim that stays open past the timeout (its
    instance frozen, say) ends it too, and this instance sends what it has.
    """
    if not _locks_rows(session):
        return
    try:
        async with session.begin_nested():  # a timeout undoes the wait alone
            await session.execute(text(f"SET LOCAL lock_timeout = '{round(seconds * 1000)}ms'"))
            await session.execute(
                select(col(Chat.id))
                .where(col(Chat.next_due_at) <= now)
                .where(col(Chat.paused).is_(False))
                .where(col(Chat.blocked).is_(False))
                .limit(1)
                .with_for_update(of=Chat, key_share=True)
            )
            await session.execute(text("SET LOCAL lock_timeout TO DEFAULT"))
    except DBAPIError as error:
        if getattr(error.orig, "sqlstate", None) != LOCK_NOT_AVAILABLE:
            raise
        logger.warning("another instance's claim is still open after %ss", seconds)


def _locks_rows(session: AsyncSession) -> bool:
    """Whether the backend has row locks with SKIP LOCKED (PostgreSQL; not SQLite)."""
    return session.get_bind().dialect.name == "postgresql"


async def watermarks(session: AsyncSession, *, chat_ids: Sequence[int]) -> dict[int, int]:
    """Each chat's watermark: the end of its last delivered window.

    A chat whose digests all failed (blocked, say) keeps the start of its first window, so
    once it is reachable again its next digest covers what it missed (within the age limit).
    Chats that never had a digest are absent.
    """
    delivered = case((col(Delivery.status).in_(DELIVERED), col(Delivery.window_end_id)))
    found: dict[int, int] = {}
    for start in range(0, len(chat_ids), 500):
        rows = await session.execute(
            select(
                col(Delivery.chat_id), func.max(delivered), func.min(col(Delivery.window_start_id))
            )
            .where(col(Delivery.chat_id).in_(chat_ids[start : start + 500]))
            .where(col(Delivery.kind) != ALERT)
            .group_by(col(Delivery.chat_id))
        )
        for chat_id, last_end, first_start in rows:
            found[int(chat_id)] = int(last_end if last_end is not None else first_start)
    return found


async def insert_claims(session: AsyncSession, *, rows: Sequence[dict[str, object]]) -> None:
    """Ledger rows for claimed digests, in one batched statement."""
    if rows:
        await session.execute(insert(Delivery), list(rows))


async def reschedule(session: AsyncSession, *, next_due: dict[int, datetime | None]) -> None:
    """Each chat's next due instant (one batched statement)."""
    if next_due:
        await session.execute(
            update(Chat), [{"id": key, "next_due_at": value} for key, value in next_due.items()]
        )


def lease_free(now: datetime) -> ColumnElement[bool]:
    """A row no sender holds or rests at `now`: its row lease is unset or over."""
    return or_(col(Delivery.sender_until).is_(None), col(Delivery.sender_until) <= now)


async def free_rows(
    session: AsyncSession, *, alerts: bool, now: datetime, limit: int, skip: Collection[int] = ()
) -> list[int]:
    """The most overdue claimed rows (digests, or alerts due at `now`) whose lease is free,
    but those in `skip`, at most `limit`.

    On PostgreSQL, in a write transaction, the rows stay locked until it ends, and rows other
    instances are taking are skipped, not waited for.
    """
    query = (
        select(col(Delivery.id))
        .where(col(Delivery.status) == CLAIMED)
        .where(lease_free(now))
        .order_by(col(Delivery.due_at), col(Delivery.id))
        .limit(limit)
    )
    if skip:
        query = query.where(col(Delivery.id).not_in(list(skip)))
    if alerts:
        query = query.where(col(Delivery.kind) == ALERT).where(col(Delivery.due_at) <= now)
    else:
        query = query.where(col(Delivery.kind) != ALERT)
    if _locks_rows(session):
        query = query.with_for_update(skip_locked=True)
    return [delivery_id for delivery_id in await session.scalars(query) if delivery_id is not None]


async def take_free(
    session: AsyncSession,
    *,
    alerts: bool,
    sender_id: str,
    now: datetime,
    until: datetime,
    limit: int,
    skip: Collection[int] = (),
) -> list[int]:
    """Take up to `limit` free rows (`free_rows`) for `sender_id` until `until`; their ids."""
    taken = await free_rows(session, alerts=alerts, now=now, limit=limit, skip=skip)
    if taken:
        await session.execute(
            update(Delivery)
            .where(col(Delivery.id).in_(taken))
            .values(sender_id=sender_id, sender_until=until)
            .execution_options(synchronize_session=False)
        )
    return taken


async def release(session: AsyncSession, *, ids: Sequence[int], sender_id: str) -> None:
    """Free rows `sender_id` holds and will not send now."""
    await session.execute(
        update(Delivery)
        .where(col(Delivery.id).in_(list(ids)), col(Delivery.sender_id) == sender_id)
        .values(sender_id=None, sender_until=None)
        .execution_options(synchronize_session=False)
    )


async def take(
    session: AsyncSession, *, delivery_id: int, sender_id: str, now: datetime, until: datetime
) -> bool:
    """Take (or keep) one claimed row for `sender_id` until `until`; False when another
    instance is sending it, it rests, or it is finished. One atomic UPDATE on both backends."""
    result = await session.execute(
        update(Delivery)
        .where(col(Delivery.id) == delivery_id)
        .where(col(Delivery.status) == CLAIMED)
        .where(or_(lease_free(now), col(Delivery.sender_id) == sender_id))
        .values(sender_id=sender_id, sender_until=until)
    )
    return bool(getattr(result, "rowcount", 0))


async def extend(
    session: AsyncSession, *, delivery_id: int, sender_id: str, until: datetime
) -> bool:
    """Renew the row lease of a row this sender is still sending; False when it no longer
    holds it (another instance took it, or it is finished)."""
    result = await session.execute(
        update(Delivery)
        .where(col(Delivery.id) == delivery_id)
        .where(col(Delivery.sender_id) == sender_id)
        .where(col(Delivery.status) == CLAIMED)
        .values(sender_until=until)
    )
    return bool(getattr(result, "rowcount", 0))


async def owned(
    session: AsyncSession, *, delivery_id: int, sender_id: str | None
) -> Delivery | None:
    """The row to write a send's progress to, when `sender_id` still holds it (None: any
    sender, the only one); None otherwise. Locked until the transaction ends (PostgreSQL), so
    an instance taking the row over waits for this write, and then sees it."""
    if sender_id is None:
        return await session.get(Delivery, delivery_id)
    query = (
        select(Delivery)
        .where(col(Delivery.id) == delivery_id)
        .where(col(Delivery.sender_id) == sender_id)
        .with_for_update()
    )
    return (await session.execute(query)).scalars().first()


async def get(session: AsyncSession, *, delivery_id: int) -> Delivery | None:
    return await session.get(Delivery, delivery_id)


async def get_many(session: AsyncSession, *, ids: Sequence[int]) -> dict[int, Delivery]:
    """Ledger rows by id (missing ones are absent)."""
    if not ids:
        return {}
    rows = await session.scalars(select(Delivery).where(col(Delivery.id).in_(list(ids))))
    return {row.id: row for row in rows if row.id is not None}


async def owned_ids(
    session: AsyncSession, *, ids: Sequence[int], sender_id: str | None
) -> set[int]:
    """Which of these rows `sender_id` still holds (None: which exist, for the only sender);
    locked until the transaction ends (PostgreSQL), like `owned`."""
    query = select(col(Delivery.id)).where(col(Delivery.id).in_(list(ids)))
    if sender_id is not None:
        query = query.where(col(Delivery.sender_id) == sender_id).with_for_update()
    return {delivery_id for delivery_id in await session.scalars(query) if delivery_id is not None}


_TABLE = Delivery.__table__  # type: ignore[attr-defined]  # Core statements, run as executemany


def _progress_values(*, parts: bool, end: bool) -> dict[str, object]:
    """What a progress write sets: the message ids sent so far and the first send instant
    (kept once set), and/or the row's end (the stored parts dropped, the lease released)."""
    values: dict[str, object] = {}
    now = bindparam("now", type_=_TABLE.c.finished_at.type)  # stored as every instant is
    if parts:
        values["message_ids"] = bindparam("messages", type_=_TABLE.c.message_ids.type)
        values["first_sent_at"] = func.coalesce(_TABLE.c.first_sent_at, now)
    if end:
        values.update(
            status=bindparam("status"),
            error=bindparam("error"),
            finished_at=now,
            payload=None,
            sender_until=None,
        )
    return values


async def write_progress(
    session: AsyncSession, *, rows: Sequence[dict[str, object]], parts: bool, end: bool
) -> None:
    """One executemany of rows of the same shape: {"row", "now"} with "messages" (`parts`)
    and/or "status" and "error" (`end`)."""
    if rows:
        await session.execute(
            update(_TABLE)
            .where(_TABLE.c.id == bindparam("row"))
            .values(_progress_values(parts=parts, end=end)),
            list(rows),
        )


async def store_parts(session: AsyncSession, *, rows: Sequence[dict[str, object]]) -> None:
    """Rendered digests, each kept unless another run stored its own first: one executemany of
    {"row", "payload", "items", "parts"}. (Read the rows again for what they hold: PostgreSQL's
    driver reports no count for an executemany.)"""
    if rows:
        await session.execute(
            update(_TABLE)
            .where(_TABLE.c.id == bindparam("row"), _no_payload())
            .values(
                payload=bindparam("payload", type_=_TABLE.c.payload.type),
                item_article_ids=bindparam("items", type_=_TABLE.c.item_article_ids.type),
                parts_total=bindparam("parts"),
            ),
            list(rows),
        )


def _no_payload() -> ColumnElement[bool]:
    """A row that stores no parts: SQL NULL, or the JSON null an ORM write of None leaves."""
    return func.coalesce(cast(_TABLE.c.payload, Text), "null") == "null"
