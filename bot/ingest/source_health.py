"""A source's health after each poll: when it succeeded or why it failed, when it is due again,
and whether it kept failing long enough to be paused (operators are then told)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from bot.domain.polling import next_poll_after_failure, next_poll_after_success, should_pause
from storage.engine import Database
from storage.queries import sources as source_queries

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PollResult:
    source_id: int
    status: str  # "ok", "not_modified" or "error"
    new: int = 0
    reason: str | None = None
    paused: bool = False


async def record_success(
    database: Database,
    source_id: int,
    *,
    now: datetime,
    etag: str | None,
    last_modified: str | None,
) -> None:
    """A poll that worked: failures forgotten, validators kept for the next conditional GET."""
    async with database.write() as session:
        source = await source_queries.get(session, source_id=source_id)
        if source is None:
            return
        source.last_polled_at = source.last_success_at = now
        source.consecutive_failures = 0
        source.last_error = None
        source.etag, source.last_modified = etag, last_modified
        source.next_poll_at = next_poll_after_success(now, poll_minutes=source.poll_minutes)


async def record_failure(
    database: Database,
    source_id: int,
    *,
    now: datetime,
    reason: str,
    retry_after: float | None,
) -> PollResult:
    """A poll that failed: its reason kept, the next poll backed off (or as the server asked),
    and the source paused after too many failures in a row."""
    async with database.write() as session:
        source = await source_queries.get(session, source_id=source_id)
        if source is None:
            return PollResult(source_id, "error", reason=reason)
        source.last_polled_at = now
        source.consecutive_failures += 1
        source.last_error = reason
        source.next_poll_at = next_poll_after_failure(
            now,
            poll_minutes=source.poll_minutes,
            failures=source.consecutive_failures,
            retry_after_seconds=retry_after,
        )
        paused = should_pause(source.consecutive_failures) and source.enabled
        if paused:
            source.enabled = False
    logger.warning("source poll failed id=%s reason=%s paused=%s", source_id, reason, paused)
    return PollResult(source_id, "error", reason=reason, paused=paused)
