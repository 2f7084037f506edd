"""Claiming urgent alerts: which chats each new urgent story reaches, in which version, when.

Regions decide who is asked (one query per story, whatever the number of chats); then the
digest's own selection (`compose`) over the stories' urgent versions applies the chat's
exclusions, its official-only setting and its language choice, with topics left out: an outage
on the reader's street matters whatever topics they picked. Each alert row is rendered here,
held until the chat's quiet hours end, or capped. Planning only reads: the caller inserts the
rows in one write, and the unique (chat, story) index makes them once.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.delivery.alert_render import AlertFacts, render_alert
from bot.digests.articles import articles_by_ids
from bot.digests.chat_digest import Part, to_payload
from bot.digests.interests import interests_from
from bot.digests.window import WindowBounds, keyword_hits
from bot.domain.digest import Digest, DigestArticle, Interests, Window, build_window, compose
from bot.domain.quiet_hours import quiet_hours_of, quiet_until
from bot.i18n import Translator
from storage.queries import alerts as alert_queries
from storage.queries import chats as chat_queries
from storage.queries import deliveries as ledger
from storage.queries.alerts import AlertChat, UrgentArticle

logger = logging.getLogger(__name__)

LOOKBACK = timedelta(hours=24)
"""Urgent articles older than this are news for the digest, not alerts."""
PUBLISHED_WITHIN = timedelta(days=2)
"""Nor are articles published before this, however recently read (a new source's backlog);
two days, as a notice may be dated the day before the event and say only the day."""


@dataclass(frozen=True, slots=True)
class AlertPolicy:
    """The knobs of a plan: the daily cap per chat (ALERT_DAILY_CAP)."""

    daily_cap: int


async def plan_alerts(
    session: AsyncSession,
    *,
    now: datetime,
    fresh_since: datetime,
    policy: AlertPolicy,
    translator: Translator,
) -> list[dict[str, object]]:
    """The alert rows to claim for the stories with an urgent version ingested since
    `fresh_since` (held, expired and capped ones included), for `insert_alerts`."""
    urgent = await alert_queries.urgent_articles(
        session,
        ingested_since=now - LOOKBACK,
        published_since=now - PUBLISHED_WITHIN,
        now=now,
    )
    fresh = {article.story_id for article in urgent if article.ingested_at >= fresh_since}
    urgent = [article for article in urgent if article.story_id in fresh]
    if not urgent:
        return []
    articles = await articles_by_ids(session, ids=[article.id for article in urgent])
    wanted: defaultdict[int, set[int]] = defaultdict(set)
    chats: dict[int, AlertChat] = {}
    for story_id, members in _stories(articles).items():
        regions = sorted({region for member in members for region in member.regions})
        if not regions:
            continue
        official = any(member.official for member in members)
        for chat in await alert_queries.chats_to_alert(
            session, story_id=story_id, regions=regions, official=official
        ):
            chats[chat.id] = chat
            wanted[chat.id].add(story_id)
    if not chats:
        return []
    picks = await _picks(session, articles, chats, wanted)
    facts = {article.id: article for article in urgent}
    rows = await _rows(session, picks, facts, now=now, policy=policy, translator=translator)
    logger.info("alerts planned stories=%s rows=%s", len(fresh), len(rows))
    return rows


def _stories(articles: Iterable[DigestArticle]) -> dict[int, list[DigestArticle]]:
    stories: dict[int, list[DigestArticle]] = {}
    for article in articles:
        stories.setdefault(article.cluster_id, []).append(article)
    return stories


class Pick(NamedTuple):
    """A chat, the version of a story it gets, and the region the alert names: the first of
    the story's regions the chat follows (a Karaganda reader reads "Karaganda region")."""

    chat: AlertChat
    article: DigestArticle
    place: str | None


def _place(regions: Sequence[str], followed: Sequence[str]) -> str | None:
    return next((region for region in regions if region in followed), None) or next(
        iter(regions), None
    )


async def _picks(
    session: AsyncSession,
    articles: Sequence[DigestArticle],
    chats: dict[int, AlertChat],
    wanted: dict[int, set[int]],
) -> list[Pick]:
    """(chat, the version it gets) for each wanted story the chat's interests keep."""
    window = build_window(articles)
    subscriptions = await chat_queries.subscriptions_of_chats(session, chat_ids=sorted(chats))
    interests = {
        chat_id: replace(
            interests_from(subscriptions.get(chat_id, [])),
            topics=(),
            official_only=chat.official_only,
        )
        for chat_id, chat in chats.items()
    }
    # Chats come by region, so a keyword could add nothing here: only exclusions are searched.
    phrases = {phrase for chosen in interests.values() for phrase in chosen.excludes}
    bounds = WindowBounds(
        min(window.ids) - 1, max(window.ids), min(a.published_at for a in articles)
    )
    hits = await keyword_hits(session, phrases=phrases, bounds=bounds)
    composed: dict[tuple[Interests, str], Digest] = {}
    picks: list[Pick] = []
    for chat_id, chat in sorted(chats.items()):
        key = (interests[chat_id], chat.language)
        if key not in composed:
            composed[key] = _compose(window, *key, hits)
        # Oldest story first: it is sent first, and the cap keeps the earliest ones.
        for item in sorted(composed[key].items, key=lambda item: item.article.cluster_id):
            if item.article.cluster_id in wanted[chat_id]:
                place = _place(item.article.regions, interests[chat_id].regions)
                picks.append(Pick(chat, item.article, place))
    return picks


def _compose(
    window: Window, interests: Interests, language: str, hits: dict[str, frozenset[int]]
) -> Digest:
    """The digest's selection over the urgent stories, with room for every one of them."""
    return compose(window, interests, language, hits, limit=max(len(window.by_rank), 1))


async def _rows(
    session: AsyncSession,
    picks: Sequence[Pick],
    facts: dict[int, UrgentArticle],
    *,
    now: datetime,
    policy: AlertPolicy,
    translator: Translator,
) -> list[dict[str, object]]:
    """Ledger rows: due now or when quiet hours end; capped past the chat's daily cap."""
    chat_ids = sorted({pick.chat.id for pick in picks})
    counted = await alert_queries.counted_alerts(
        session, chat_ids=chat_ids, since=now - timedelta(days=2)
    )
    zones = {pick.chat.id: ZoneInfo(pick.chat.timezone) for pick in picks}
    per_day: Counter[tuple[int, date]] = Counter(
        (chat_id, due.astimezone(zones[chat_id]).date()) for chat_id, due in counted
    )
    rows: list[dict[str, object]] = []
    # Many chats share a version, language, zone and place: each text is rendered once.
    texts: dict[tuple[int, str, str, str | None], str] = {}
    for chat, article, place in picks:
        urgent = facts[article.id]
        zone = zones[chat.id]
        due = _held_until(chat, now=now, zone=zone) or now
        day = (chat.id, due.astimezone(zone).date())
        status = ledger.CLAIMED
        if urgent.ends_at is not None and urgent.ends_at <= due:
            status = alert_queries.EXPIRED
        elif per_day[day] >= policy.daily_cap:
            status = alert_queries.CAPPED
        else:
            per_day[day] += 1
        key = (article.id, chat.language, chat.timezone, place)
        if key not in texts:
            texts[key] = _render(
                article, urgent, place, translator, language=chat.language, zone=zone
            )
        rows.append(_row(chat.id, urgent, due=due, now=now, status=status, text=texts[key]))
    return rows


def _render(
    article: DigestArticle,
    urgent: UrgentArticle,
    place: str | None,
    translator: Translator,
    *,
    language: str,
    zone: ZoneInfo,
) -> str:
    facts = AlertFacts(
        urgent.category,
        article.title,
        place,
        urgent.starts_at,
        urgent.ends_at,
        article.source_url or urgent.canonical_url,
    )
    return render_alert(facts, translator.bind(language), language=language, zone=zone)


def _held_until(chat: AlertChat, *, now: datetime, zone: ZoneInfo) -> datetime | None:
    """When the chat's quiet hours end, if `now` is inside them."""
    try:
        quiet = quiet_hours_of(chat.quiet_start, chat.quiet_end)
    except ValueError:  # stored by hand, or by an older version: treat as none
        logger.warning("unreadable quiet hours chat=%s", chat.id)
        return None
    return quiet_until(quiet, now=now, zone=zone)


def _row(
    chat_id: int, urgent: UrgentArticle, *, due: datetime, now: datetime, status: str, text: str
) -> dict[str, object]:
    claimed = status == ledger.CLAIMED
    return {
        "chat_id": chat_id,
        "due_at": due,
        "kind": ledger.ALERT,
        "status": status,
        "window_start_id": 0,
        "window_end_id": 0,
        "item_article_ids": [urgent.id],
        "parts_total": 1 if claimed else 0,
        "message_ids": [],
        "error": None,
        "payload": to_payload([Part(None, "", text)]) if claimed else None,
        "attempts": 0,
        "possible_repeats": 0,
        "claimed_at": now,
        "first_sent_at": None,
        "finished_at": None if claimed else now,
        "story_id": urgent.story_id,
        "article_id": urgent.id,
    }
