"""A scheduled claim's digest, rendered once before its first send and kept in the ledger,
so a retry after a crash or a failed part sends exactly the same parts."""

from __future__ import annotations

from bot.digests.chat_digest import ChatDigest, compose_scheduled, to_payload
from bot.digests.preview import CompositionCache
from bot.digests.window import bounds_claimed
from bot.services import Services
from storage.queries import alerts as alert_queries
from storage.queries import chats as chat_queries
from storage.queries import deliveries as ledger


async def render_claim(services: Services, delivery_id: int, cache: CompositionCache) -> None:
    """Compose a claimed digest that has no parts yet, for a chat that can still receive it.

    Composing reads in a read transaction; the write lock is held only to store the parts.
    """
    async with services.database.read() as session:
        delivery = await ledger.get(session, delivery_id=delivery_id)
        if delivery is None or delivery.status != ledger.CLAIMED or delivery.payload is not None:
            return
        if delivery.kind == ledger.ALERT:  # an alert's one part is written when it is claimed
            return
        chat = await chat_queries.get_chat(session, chat_id=delivery.chat_id)
        if chat is None or chat.blocked:
            return
        bounds = bounds_claimed(
            start_id=delivery.window_start_id,
            end_id=delivery.window_end_id,
            claimed_at=delivery.claimed_at,
            max_age_days=services.settings.article_max_age_days,
        )
        composed = await compose_scheduled(
            session,
            chat,
            bounds=bounds,
            claimed_at=delivery.claimed_at,
            translator=services.translator,
            item_cap=services.settings.digest_item_cap,
            cache=cache,
        )
    await _store(services, delivery_id, composed)


async def _store(services: Services, delivery_id: int, composed: ChatDigest) -> None:
    """Keep the parts unless another run stored its own first."""
    async with services.database.write() as session:
        delivery = await ledger.get(session, delivery_id=delivery_id)
        if delivery is not None and delivery.payload is None:
            delivery.payload = to_payload(composed.parts)
            delivery.item_article_ids = composed.article_ids
            delivery.parts_total = len(composed.parts)
            await alert_queries.withdraw_told_in_digest(
                session,
                chat_id=delivery.chat_id,
                article_ids=composed.article_ids,
                now=services.clock.now(),
            )
