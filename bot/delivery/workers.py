"""A few workers that take free claimed rows one at a time and send them, until none is free.

Taking the next row just before sending it (not a list read up front) is what lets several
instances share the ledger: each row is taken by one of them, and a row left by a killed
instance is taken by whichever worker comes next once its row lease has passed.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Awaitable, Callable

from bot.delivery.sender import Sender

logger = logging.getLogger(__name__)


async def drain(
    sender: Sender,
    *,
    alerts: bool,
    budget: int,
    workers: int,
    send: Callable[[int], Awaitable[str]],
) -> Counter[str]:
    """Send free rows (digests, or due alerts) with `workers` at once until none is free,
    `budget` rows were taken, or the sender stops; how many ended in each ledger status.

    `send` gets rows from `Sender.take_next` (so it delivers with `taken=True`). A worker
    logs a row whose send raised and goes on, so every worker has ended when this returns:
    none sends on after the tick that started it (and its lock) is over. (A failed take ends
    its worker alone; it is raised once the others have ended too.)
    """
    outcomes: Counter[str] = Counter()
    left = budget
    failed: set[int] = set()  # rows whose send raised: still free on SQLite, not taken again

    async def worker() -> None:
        nonlocal left
        while left > 0 and not sender.stopping:
            left -= 1
            # A failed take (the database away) ends this worker: the next tick tries again.
            delivery_id = await sender.take_next(alerts=alerts, skip=failed)
            if delivery_id is None:
                return
            try:
                outcomes[await send(delivery_id)] += 1
            except Exception:  # one row's failure (a bug, say) stops no other row
                logger.exception("sending failed delivery=%s", delivery_id)
                failed.add(delivery_id)

    ended = await asyncio.gather(*(worker() for _ in range(workers)), return_exceptions=True)
    for result in ended:  # a failed take, raised once every worker has ended
        if isinstance(result, BaseException):
            raise result
    return outcomes
