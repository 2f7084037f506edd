"""Discovery offers waiting for an operator's press, kept in the running bot's memory.

`/addsource https://site.kz` answers with one button per feed found, but a button carries 64
bytes and an address may take 2,000 characters, so the message's buttons name an offer by a
random id (`AnswerSourceOffer`) and the addresses wait here. Memory rather than the database:
an offer lives ten minutes, and one lost in a restart costs the operator a repeated command,
while a table would cost a migration and a sweeper. Bounded: the oldest offers give way when
MAX_OFFERS are waiting. The ids are random (48 bits), and a press must also come from the chat
the offer was made in, on a message that carries the button (bot.chat.handlers.buttons).
"""

from __future__ import annotations

import secrets
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from bot.ingest.discovery import Candidate

OFFER_TTL: Final = timedelta(minutes=10)
MAX_OFFERS: Final = 256


@dataclass(frozen=True, slots=True)
class SourceOffer:
    """What one discovery found for a chat: the feeds, and the page to add as a listing."""

    chat_id: int
    page_url: str
    minutes: int
    feeds: tuple[Candidate, ...]
    made_at: datetime

    def chosen(self, choice: str, index: int) -> tuple[str, str] | None:
        """The address and kind a press asks to add: found feed `index`, or the page as a
        listing; None for cancel."""
        if choice == "feed" and index < len(self.feeds):
            return self.feeds[index].url, "rss"
        if choice == "listing":
            return self.page_url, "listing"
        return None


class SourceOffers:
    """Offers by id, each usable until OFFER_TTL after it was made (`now` is passed in)."""

    def __init__(self, ttl: timedelta = OFFER_TTL, limit: int = MAX_OFFERS) -> None:
        self.ttl = ttl
        self.limit = limit
        self._offers: OrderedDict[str, SourceOffer] = OrderedDict()

    def put(self, offer: SourceOffer) -> str:
        """Keep `offer`; the id its buttons name (8 URL-safe characters)."""
        self._forget_expired(offer.made_at)
        while len(self._offers) >= self.limit:
            self._offers.popitem(last=False)
        offer_id = secrets.token_urlsafe(6)
        while offer_id in self._offers:  # 2**48 ids: a repeat is all but impossible
            offer_id = secrets.token_urlsafe(6)
        self._offers[offer_id] = offer
        return offer_id

    def get(self, offer_id: str, *, chat_id: int, now: datetime) -> SourceOffer | None:
        """The offer if it is still fresh and was made in `chat_id`; None otherwise."""
        self._forget_expired(now)
        offer = self._offers.get(offer_id)
        if offer is None or offer.chat_id != chat_id or now - offer.made_at > self.ttl:
            return None
        return offer

    def discard(self, offer_id: str) -> None:
        """An answered offer: its buttons do nothing any more."""
        self._offers.pop(offer_id, None)

    def __len__(self) -> int:
        return len(self._offers)

    def _forget_expired(self, now: datetime) -> None:
        # Offers are kept in the order they were made, so the expired ones come first.
        while self._offers:
            offer_id, oldest = next(iter(self._offers.items()))
            if now - oldest.made_at <= self.ttl:
                break
            del self._offers[offer_id]
