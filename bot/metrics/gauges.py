"""The gauges, refreshed from three grouped queries (a job runs this every few seconds)."""

from __future__ import annotations

from typing import Final

from bot.metrics.registry import CHAT_STATES, METRICS, SOURCE_STATES, Metrics
from storage.engine import Database
from storage.queries import metrics as metric_queries

REFRESH_SECONDS: Final = 15.0  # at least twice per 30 s, whatever the scrape interval


async def refresh_gauges(database: Database, metrics: Metrics = METRICS) -> None:
    """Set every gauge from the database in one read transaction."""
    async with database.read() as session:
        due = await metric_queries.digests_due(session)
        chats = await metric_queries.chats_by_state(session)
        sources = await metric_queries.sources_by_state(session)
    metrics.digests_due.set(due)
    for state in CHAT_STATES:
        metrics.chats.labels(state=state).set(chats.get(state, 0))
    for state in SOURCE_STATES:
        metrics.sources.labels(state=state).set(sources.get(state, 0))
