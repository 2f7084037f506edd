"""Sending free claimed rows, a few at once, until none is free.

A feeder takes rows a batch at a time in one transaction (on PostgreSQL each row is leased to
this instance, so instances share the ledger without taking a row twice) and makes the batch
ready in one read (digests composed once per shared interests), while the workers send the
batch before it: sending never waits for a batch to be read. A row left by a killed instance
is taken by whichever batch comes next once its row lease has passed.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from dataclasses import dataclass, field

from bot.delivery.claims import ReadyRow, ready_rows
from bot.delivery.sender import Sender
from bot.digests.preview import CompositionCache
from bot.metrics.registry import METRICS
from storage.queries import deliveries as ledger

logger = logging.getLogger(__name__)

ROWS_PER_WORKER = 4  # a batch: enough to share reads and commits, short enough to send soon
# A taken row: its id and what `ready_rows` made of it (None: its batch failed to be made
# ready, so it is made ready alone); None ends a worker.
Taken = tuple[int, ReadyRow | str | None] | None


@dataclass
class _Run:
    """One drain: what it may still take, and what came of the rows it took."""

    sender: Sender
    alerts: bool
    left: int
    workers: int
    cache: CompositionCache
    outcomes: Counter[str] = field(default_factory=Counter)
    failed: set[int] = field(default_factory=set)  # sends that raised: not taken again


async def drain(
    sender: Sender,
    *,
    alerts: bool,
    budget: int,
    workers: int,
    cache: CompositionCache | None = None,
) -> Counter[str]:
    """Send free rows (digests, or due alerts) with `workers` at once until none is free,
    `budget` rows were taken, or the sender stops; how many ended in each ledger status.

    A worker logs a row whose send raised and goes on, so every worker has ended when this
    returns: none sends on after the tick that started it (and its lock) is over. Chats sent
    in one run share `cache` (their windows and compositions). A failed take (the database
    away) is raised once every worker has ended.
    """
    run = _Run(sender, alerts, budget, workers, cache or CompositionCache())
    # One batch waits ready while the one before it is sent.
    queue: asyncio.Queue[Taken] = asyncio.Queue(maxsize=workers * ROWS_PER_WORKER)
    try:
        ended = await asyncio.gather(
            _feed(run, queue), *(_work(run, queue) for _ in range(workers)), return_exceptions=True
        )
    except asyncio.CancelledError:  # the rows still queued are free again, here and elsewhere
        await sender.release(_queued(queue))
        raise
    for result in ended:
        if isinstance(result, BaseException):
            raise result
    return run.outcomes


async def _feed(run: _Run, queue: asyncio.Queue[Taken]) -> None:
    """Take and ready batches until none is free, the budget is spent or the sender stops;
    then end every worker."""
    try:
        while run.left > 0 and not run.sender.stopping:
            limit = min(run.left, run.workers * ROWS_PER_WORKER)
            batch = await run.sender.take_batch(alerts=run.alerts, limit=limit, skip=run.failed)
            if not batch:
                break
            run.left -= len(batch)
            ready = await _ready(run, batch)
            for delivery_id in batch:
                await queue.put((delivery_id, ready.get(delivery_id)))
    except Exception:  # a failed take (the database away): the workers end, then it is raised
        await _end_workers(run, queue)
        raise
    await _end_workers(run, queue)  # (cancelled, the workers are cancelled with it)


async def _end_workers(run: _Run, queue: asyncio.Queue[Taken]) -> None:
    for _ in range(run.workers):
        await queue.put(None)


def _queued(queue: asyncio.Queue[Taken]) -> list[int]:
    """The rows still waiting in the queue, taken out of it."""
    rows: list[int] = []
    while not queue.empty():
        taken = queue.get_nowait()
        if taken is not None:
            rows.append(taken[0])
    return rows


async def _ready(run: _Run, batch: list[int]) -> dict[int, ReadyRow | str]:
    """The batch made ready in one read; empty when that failed (its rows go one at a time,
    so one bad row, a bug say, holds back no other)."""
    try:
        return await ready_rows(run.sender.services, batch, run.cache)
    except asyncio.CancelledError:
        await run.sender.release(batch)
        raise
    except Exception:
        logger.exception("a batch could not be made ready: its rows go one at a time")
        return {}


async def _work(run: _Run, queue: asyncio.Queue[Taken]) -> None:
    """Send taken rows until the feeder ends this worker; once the sender stops, rows still
    queued are released unsent, free for the instances that go on."""
    while (taken := await queue.get()) is not None:
        delivery_id, ready = taken
        try:
            await _send(run, delivery_id, ready)
        except Exception:  # one row's failure (a bug, say) stops no other row, nor the feeder
            logger.exception("sending failed delivery=%s", delivery_id)
            run.failed.add(delivery_id)


async def _send(run: _Run, delivery_id: int, ready: ReadyRow | str | None) -> None:
    sender = run.sender
    if sender.stopping:
        await sender.release([delivery_id])
        return
    if ready is None:
        status = await sender.deliver(delivery_id, cache=run.cache, taken=True)
    else:
        status = await sender.send_ready(delivery_id, ready)
    run.outcomes[status] += 1
    if run.alerts and status == ledger.SENT:
        METRICS.alerts_sent.inc()
