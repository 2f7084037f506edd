"""Claiming due digests: one transaction writes the ledger rows and moves each schedule on."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.delivery.chat_schedule import clock_time
from bot.digests.window import WindowPolicy
from bot.domain.schedule import following_due
from storage.queries import deliveries as ledger
from storage.queries import digests as digest_queries


async def claim_due(
    session: AsyncSession, *, now: datetime, limit: int, policy: WindowPolicy
) -> int:
    """Claim up to `limit` due chats, most overdue first; how many were claimed.

    Each claim fixes the digest's window (watermark → newest article) and moves the chat's
    next due instant past `now`, so downtime yields one digest covering what was missed,
    never a burst of stale ones. The caller's write transaction makes it all-or-nothing.
    """
    due = await ledger.due_chats(session, now=now, limit=limit)
    if not due:
        return 0
    marks = await ledger.watermarks(session, chat_ids=[chat.id for chat in due])
    newest = await digest_queries.latest_article_id(session)
    first_window: int | None = None
    rows: list[dict[str, object]] = []
    next_due: dict[int, datetime | None] = {}
    for chat in due:
        start = marks.get(chat.id)
        if start is None:
            if first_window is None:
                since = now - timedelta(hours=policy.first_digest_hours)
                first_window = await digest_queries.first_id_ingested_since(session, since=since)
            start = first_window
        rows.append(
            {
                "chat_id": chat.id,
                "due_at": chat.next_due_at,
                "kind": "scheduled",
                "status": ledger.CLAIMED,
                "window_start_id": start,
                "window_end_id": max(newest, start),
                "item_article_ids": [],
                "parts_total": 0,
                "message_ids": [],
                "attempts": 0,
                "possible_repeats": 0,
                "claimed_at": now,
            }
        )
        next_due[chat.id] = following_due(
            chat.next_due_at,
            now,
            local_time=clock_time(chat.digest_time),
            zone=ZoneInfo(chat.timezone),
            frequency=chat.frequency,
            weekly_day=chat.weekly_day,
        )
    await ledger.insert_claims(session, rows=rows)
    await ledger.reschedule(session, next_due=next_due)
    return len(rows)
