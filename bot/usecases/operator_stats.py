"""The operators' /stats: the last 24 hours from the ledger, the same figures the metrics count.

Counters (deliveries, messages, repeats, lag, articles) cover the 24 hours up to the clock's
now; states (chats, sources, digests due) are as they are now. `/stats chart` gets them per
hour of the bot's time zone.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

from bot.services import Services
from bot.usecases.chats import ChatRef, language_of
from storage.queries import metrics as metric_queries
from storage.queries import stats as stats_queries
from storage.queries.deliveries import EMPTY, FAILED, FINISHED, SENT
from storage.queries.stats import ChatStates, FinishedDelivery, Lag, SourceStates

DAY = timedelta(hours=24)
HOUR = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class LagSummary:
    """Delivery lag in seconds over `count` scheduled digests (zeros when there were none)."""

    count: int = 0
    average: float = 0.0
    p95: float = 0.0
    worst: float = 0.0


@dataclass(frozen=True, slots=True)
class LastDay:
    """The reply's figures, in the operator's language."""

    language: str
    chats: ChatStates
    subscriptions_per_region: list[tuple[str, int]]
    digests_due: int
    sent: int
    empty: int
    failed: int
    messages_sent: int
    possible_repeats: int
    lag: LagSummary
    sources: SourceStates
    articles: int


@dataclass(frozen=True, slots=True)
class Hour:
    """One hour of the chart: its local start, deliveries finished in it, their average lag."""

    start: datetime
    sent: int = 0
    empty: int = 0
    failed: int = 0
    lag_average: float | None = None


@dataclass(frozen=True, slots=True)
class Hours:
    """The chart's hours, the operator's language and the name of the bot's time zone."""

    language: str
    hours: list[Hour]
    zone: str


def summarise_lags(seconds: Sequence[float]) -> LagSummary:
    """Average, 95th percentile (nearest rank) and worst of a list of lags."""
    if not seconds:
        return LagSummary()
    ordered = sorted(seconds)
    rank = max(-(-95 * len(ordered) // 100), 1)  # ceil(0.95 n) without float rounding
    return LagSummary(len(ordered), sum(ordered) / len(ordered), ordered[rank - 1], ordered[-1])


def _count(deliveries: Sequence[FinishedDelivery], status: str) -> int:
    return sum(1 for delivery in deliveries if delivery.status == status)


async def last_day(services: Services, ref: ChatRef) -> LastDay:
    """Everything /stats shows; its figures read in one transaction."""
    language = await language_of(services, ref)
    since = services.clock.now() - DAY
    async with services.database.read() as session:
        chats = await stats_queries.chats_by_state(session)
        regions = await stats_queries.subscriptions_per_region(session)
        due = await metric_queries.digests_due(session)
        finished = await stats_queries.finished_deliveries(session, since=since)
        lags = await stats_queries.delivery_lags(session, since=since)
        sources = await stats_queries.sources_by_state(session)
        articles = await stats_queries.articles_ingested(session, since=since)
    return LastDay(
        language=language,
        chats=chats,
        subscriptions_per_region=regions,
        digests_due=due,
        sent=_count(finished, SENT),
        empty=_count(finished, EMPTY),
        failed=_count(finished, FAILED),
        messages_sent=sum(delivery.messages for delivery in finished),
        possible_repeats=sum(delivery.possible_repeats for delivery in finished),
        lag=summarise_lags([lag.seconds for lag in lags]),
        sources=sources,
        articles=articles,
    )


def hour_starts(now: datetime, zone: tzinfo) -> list[datetime]:
    """The starts of the 24 hours of `zone` that end with the one `now` falls in, oldest first.

    Stepped in absolute time, so a daylight-saving change neither skips nor doubles an hour.
    """
    top = now.astimezone(zone).replace(minute=0, second=0, microsecond=0).astimezone(UTC)
    return [(top - HOUR * back).astimezone(zone) for back in range(23, -1, -1)]


def by_hour(
    starts: Sequence[datetime], finished: Sequence[FinishedDelivery], lags: Sequence[Lag]
) -> list[Hour]:
    """Deliveries counted in the hour they finished, lags averaged in the hour they were sent."""
    edges = [start.timestamp() for start in starts]
    counts = [dict.fromkeys(FINISHED, 0) for _ in starts]
    seconds: list[list[float]] = [[] for _ in starts]
    for delivery in finished:
        slot = bisect_right(edges, delivery.finished_at.timestamp()) - 1
        if 0 <= slot < len(edges):
            counts[slot][delivery.status] += 1
    for lag in lags:
        slot = bisect_right(edges, lag.first_sent_at.timestamp()) - 1
        if 0 <= slot < len(edges):
            seconds[slot].append(lag.seconds)
    return [
        Hour(start, c[SENT], c[EMPTY], c[FAILED], sum(s) / len(s) if s else None)
        for start, c, s in zip(starts, counts, seconds, strict=True)
    ]


async def last_hours(services: Services, ref: ChatRef) -> Hours:
    """The 24 hours of the bot's time zone up to now, for the chart."""
    language = await language_of(services, ref)
    starts = hour_starts(services.clock.now(), services.settings.zone)
    async with services.database.read() as session:
        finished = await stats_queries.finished_deliveries(session, since=starts[0])
        lags = await stats_queries.delivery_lags(session, since=starts[0])
    return Hours(language, by_hour(starts, finished, lags), services.settings.default_timezone)
