"""The bot's Prometheus metrics, in one registry of ours (not the library's global one).

Process-wide, like loggers: the code that sees an event moves a counter here in one line;
the listener serves them; nothing in the bot reads them back. The names and labels are the
contract of `deploy/`'s dashboard, so they do not change.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    disable_created_metrics,
)

from storage.queries.deliveries import FINISHED

DELIVERY_STATUSES: Final = FINISHED
TELEGRAM_ERROR_KINDS: Final = (
    "retry_after", "network", "timeout", "blocked", "gone", "bad_request"
)  # fmt: skip
CHAT_STATES: Final = ("active", "paused", "blocked")
POLL_RESULTS: Final = ("ok", "not_modified", "error")
INGEST_OUTCOMES: Final = ("new", "duplicate", "rejected")
SOURCE_STATES: Final = ("healthy", "failing", "paused")
UPDATE_KINDS: Final = ("command", "callback", "member")
# Digests are due at a minute; the lag that matters runs from seconds to an hour or two.
LAG_BUCKETS: Final = (1.0, 5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0, 7200.0)
SEND_BUCKETS: Final = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class Metrics:
    """Every metric of the bot, registered in `registry`; labelled series start at zero so a
    scrape lists them before the first event (rate() needs the zero)."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry
        self.deliveries = Counter(
            "newsdigest_deliveries",
            "Digests finished, by the ledger status they ended in.",
            ["status"],
            registry=registry,
        )
        self.messages_sent = Counter(
            "newsdigest_messages_sent", "Digest parts Telegram accepted.", registry=registry
        )
        self.telegram_errors = Counter(
            "newsdigest_telegram_errors",
            "Bot API errors met while sending digests, by kind.",
            ["kind"],
            registry=registry,
        )
        self.alerts_sent = Counter(
            "newsdigest_alerts_sent", "Urgent alerts Telegram accepted.", registry=registry
        )
        self.possible_repeats = Counter(
            "newsdigest_possible_repeats",
            "Sends that timed out and may have been delivered (a retry may repeat them).",
            registry=registry,
        )
        self.delivery_lag = Histogram(
            "newsdigest_delivery_lag_seconds",
            "Scheduled digests: first part sent minus the instant it was due.",
            buckets=LAG_BUCKETS,
            registry=registry,
        )
        self.send_seconds = Histogram(
            "newsdigest_send_seconds",
            "Duration of the Bot API calls that send digest parts.",
            buckets=SEND_BUCKETS,
            registry=registry,
        )
        self._gauges(registry)
        self._ingest(registry)
        self._chat(registry)
        _start_at_zero(self.deliveries, DELIVERY_STATUSES)
        _start_at_zero(self.telegram_errors, TELEGRAM_ERROR_KINDS)

    def _gauges(self, registry: CollectorRegistry) -> None:
        self.digests_due = Gauge(
            "newsdigest_digests_due",
            "Digests claimed and not finished (refreshed from the database).",
            registry=registry,
        )
        self.chats = Gauge(
            "newsdigest_chats",
            "Chats by state (refreshed from the database).",
            ["state"],
            registry=registry,
        )
        self.sources = Gauge(
            "newsdigest_sources",
            "Live sources by state (refreshed from the database).",
            ["state"],
            registry=registry,
        )
        _start_at_zero(self.chats, CHAT_STATES)
        _start_at_zero(self.sources, SOURCE_STATES)

    def _ingest(self, registry: CollectorRegistry) -> None:
        self.source_polls = Counter(
            "newsdigest_source_polls",
            "Source polls, by result.",
            ["result"],
            registry=registry,
        )
        self.articles_ingested = Counter(
            "newsdigest_articles_ingested",
            "Articles offered for storage: new, already stored (duplicate), or rejected.",
            ["outcome"],
            registry=registry,
        )
        _start_at_zero(self.source_polls, POLL_RESULTS)
        _start_at_zero(self.articles_ingested, INGEST_OUTCOMES)

    def _chat(self, registry: CollectorRegistry) -> None:
        self.updates = Counter(
            "newsdigest_updates",
            "Telegram updates received, by kind.",
            ["kind"],
            registry=registry,
        )
        self.handler_errors = Counter(
            "newsdigest_handler_errors",
            "Errors that reached the error handler.",
            registry=registry,
        )
        _start_at_zero(self.updates, UPDATE_KINDS)


def _start_at_zero(metric: Counter | Gauge, values: Iterable[str]) -> None:
    for value in values:
        metric.labels(value)


def create_registry() -> CollectorRegistry:
    """A registry with the process's own figures (memory, CPU, open files) besides ours.

    The `_created` series (one more gauge per counter in the text format) are switched off:
    the bot is the only user of prometheus-client in its process.
    """
    disable_created_metrics()  # type: ignore[no-untyped-call]
    registry = CollectorRegistry()
    ProcessCollector(registry=registry)
    PlatformCollector(registry=registry)
    return registry


METRICS: Final = Metrics(create_registry())
