"""Claimed rows made ready to send, a batch at once: a scheduled digest is rendered once before
its first send and kept in the ledger, so a retry after a crash or a failed part sends exactly
the same parts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.digests.chat_digest import (
    ChatDigest,
    ChatWindow,
    Part,
    compose_for_chats,
    from_payload,
    to_payload,
)
from bot.digests.preview import CompositionCache
from bot.digests.window import WindowBounds, bounds_claimed
from bot.services import Services
from storage.models import Chat, Delivery
from storage.queries import alerts as alert_queries
from storage.queries import chats as chat_queries
from storage.queries import deliveries as ledger


@dataclass(frozen=True, slots=True)
class ReadyRow:
    """A claimed row as its send needs it; `language` None: the chat is gone or blocked."""

    delivery_id: int
    chat_id: int
    kind: str
    due_at: datetime
    first_sent_at: datetime | None
    parts: tuple[Part, ...]
    sent: tuple[int, ...]
    language: str | None


async def ready_rows(
    services: Services, ids: Sequence[int], cache: CompositionCache
) -> dict[int, ReadyRow | str]:
    """Each row ready to send, or the status it is in when it is no longer claimed.

    Rows and chats are read in one read transaction and every unrendered digest composed
    there (shared compositions, `cache`); the write lock is held only to store the parts.
    """
    async with services.database.read() as session:
        rows = await ledger.get_many(session, ids=ids)
        chats = await chat_queries.chats_by_ids(
            session, chat_ids=sorted({row.chat_id for row in rows.values()})
        )
        unrendered = {
            delivery_id: row
            for delivery_id, row in rows.items()
            if _needs_parts(row, chats.get(row.chat_id))
        }
        composed = await compose_for_chats(
            session,
            [
                ChatWindow(chats[row.chat_id], _bounds(services, row), row.claimed_at)
                for row in unrendered.values()
            ],
            translator=services.translator,
            item_cap=services.settings.digest_item_cap,
            cache=cache,
            scheduled=True,
        )
    stored = await _store(services, unrendered, composed)
    found: dict[int, ReadyRow | str] = {delivery_id: "missing" for delivery_id in ids}
    for delivery_id, row in rows.items():
        if row.status != ledger.CLAIMED:
            found[delivery_id] = row.status
            continue
        chat = chats.get(row.chat_id)
        found[delivery_id] = ReadyRow(
            delivery_id,
            row.chat_id,
            row.kind,
            row.due_at,
            row.first_sent_at,
            tuple(from_payload(stored.get(delivery_id, row.payload))),
            tuple(row.message_ids or ()),
            None if chat is None or chat.blocked else chat.language,
        )
    return found


def _needs_parts(row: Delivery, chat: Chat | None) -> bool:
    """A claimed scheduled digest with nothing rendered yet, for a chat that can receive it
    (an alert's one part is written when it is claimed, a /digest's with its claim)."""
    reachable = chat is not None and not chat.blocked
    return (
        row.status == ledger.CLAIMED
        and row.payload is None
        and row.kind != ledger.ALERT
        and reachable
    )


def _bounds(services: Services, row: Delivery) -> WindowBounds:
    return bounds_claimed(
        start_id=row.window_start_id,
        end_id=row.window_end_id,
        claimed_at=row.claimed_at,
        max_age_days=services.settings.article_max_age_days,
    )


async def _store(
    services: Services, rows: dict[int, Delivery], composed: Sequence[ChatDigest]
) -> dict[int, list[dict[str, object]] | None]:
    """Keep each row's parts unless another run stored its own first; the parts each row
    holds now. Held alerts for the stories the stored digests tell are withdrawn."""
    if not rows:
        return {}
    ours = {
        delivery_id: (to_payload(digest.parts), digest.article_ids)
        for delivery_id, digest in zip(rows, composed, strict=True)
    }
    now = services.clock.now()
    async with services.database.write() as session:
        await ledger.store_parts(
            session,
            rows=[
                {"row": delivery_id, "payload": payload, "items": items, "parts": len(payload)}
                for delivery_id, (payload, items) in ours.items()
            ],
        )
        stored = await ledger.get_many(session, ids=list(rows))  # ours, or another run's
        told: dict[int, list[int]] = {}
        for row in stored.values():
            told.setdefault(row.chat_id, []).extend(row.item_article_ids or [])
        for chat_id in await alert_queries.chats_holding_alerts(
            session, chat_ids=sorted(told), now=now
        ):
            await alert_queries.withdraw_told_in_digest(
                session, chat_id=chat_id, article_ids=told[chat_id], now=now
            )
    return {
        delivery_id: row.payload if row.payload is not None else ours[delivery_id][0]
        for delivery_id, row in stored.items()
    }
