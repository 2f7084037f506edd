"""The send progress of every digest this process sends, written in group commits.

Each part sent is recorded before the next part of its digest goes out, as before; what
changes is that the records of all digests being sent at that moment share one write
transaction of two Core statements (an executemany each) instead of one ORM transaction per
part. A worker waits for the commit that holds its record, so nothing is reported sent that
is not in the ledger. While one commit runs, the next records gather for the following one:
at a few digests a second each record commits at once, at hundreds a second they share.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime

from bot.clock import Clock
from storage.engine import Database
from storage.queries import deliveries as ledger

logger = logging.getLogger(__name__)

# How long a commit waits for more records to join it: a part's record is later by this
# much, and at hundreds of sends a second one commit holds several digests instead of one.
GATHER_SECONDS = 0.005


class LedgerWriteFailed(Exception):
    """A send's record could not be committed; the digest stays claimed for a later tick."""


@dataclass(frozen=True, slots=True)
class Progress:
    """What to write to one row: the message ids sent so far (None: unchanged) and, when the
    row ends, its final status and error."""

    delivery_id: int
    message_ids: tuple[int, ...] | None = None
    status: str | None = None
    error: str | None = None


class LedgerWriter:
    """Writes `Progress` for rows this process holds (`owner`; None on SQLite, the only
    sender), many rows per transaction."""

    def __init__(self, database: Database, clock: Clock, *, owner: str | None) -> None:
        self.database = database
        self.clock = clock
        self.owner = owner
        self._queue: list[tuple[Progress, asyncio.Future[bool]]] = []
        self._flushing: asyncio.Task[None] | None = None

    async def write(self, progress: Progress) -> bool:
        """Write once committed; False (nothing written) when the row is no longer ours."""
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._queue.append((progress, future))
        if self._flushing is None or self._flushing.done():
            self._flushing = asyncio.create_task(self._flush())
        return await future

    async def _flush(self) -> None:
        """Commit what is queued, then what queued meanwhile, until nothing is left."""
        while self._queue:
            await asyncio.sleep(GATHER_SECONDS)
            batch, self._queue = self._queue, []
            try:
                ours = await self._commit([progress for progress, _ in batch])
            except Exception as error:  # one row's trouble must not fail the others
                if len(batch) == 1:
                    _fail(batch[0][1], error)
                else:
                    logger.warning("a group commit failed: its %s records go alone", len(batch))
                    await self._one_by_one(batch)
                continue
            for progress, future in batch:
                if not future.done():
                    future.set_result(progress.delivery_id in ours)

    async def _one_by_one(self, batch: list[tuple[Progress, asyncio.Future[bool]]]) -> None:
        """Commit each record in a transaction of its own."""
        for progress, future in batch:
            try:
                ours = await self._commit([progress])
            except Exception as error:
                _fail(future, error)
                continue
            if not future.done():
                future.set_result(progress.delivery_id in ours)

    async def _commit(self, batch: list[Progress]) -> set[int]:
        """Write the records in one transaction and return the rows that were still ours.

        On PostgreSQL the rows this process still holds are read (and locked) first; on
        SQLite this process is the only sender, so every row is. Records of the same shape
        (message ids, an end, or both) share one executemany."""
        now = self.clock.now()
        ids = [progress.delivery_id for progress in batch]
        async with self.database.write() as session:
            if self.owner is None:
                ours = set(ids)
            else:
                ours = await ledger.owned_ids(session, ids=ids, sender_id=self.owner)
            shapes: dict[tuple[bool, bool], list[dict[str, object]]] = {}
            for progress in batch:
                if progress.delivery_id in ours:
                    shape = (progress.message_ids is not None, progress.status is not None)
                    shapes.setdefault(shape, []).append(_row(progress, now))
            for (parts, end), rows in shapes.items():
                await ledger.write_progress(session, rows=rows, parts=parts, end=end)
        return ours


def _fail(future: asyncio.Future[bool], error: Exception) -> None:
    """Raise a failed commit in one waiter, as its own error (its digest stays claimed and is
    retried by a later tick)."""
    if not future.done():
        failure = LedgerWriteFailed(f"{type(error).__name__}: {error}")
        failure.__cause__ = error
        future.set_exception(failure)


def _row(progress: Progress, now: datetime) -> dict[str, object]:
    """The statement parameters of one row's progress."""
    row: dict[str, object] = {"row": progress.delivery_id, "now": now}
    if progress.message_ids is not None:
        row["messages"] = list(progress.message_ids)
    if progress.status is not None:
        row.update(status=progress.status, error=progress.error)
    return row
