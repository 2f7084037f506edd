"""Worker processes for parsing untrusted source bytes, each call under a time budget.

A regular expression that backtracks, or a parser that loops, holds the GIL: run in a thread
it would freeze the whole bot, deaf to chats and to SIGTERM. Here it costs one worker
process, which pebble kills when the call's budget runs out and replaces with a fresh one.
Workers fork from a forkserver that has already imported the parsers and loaded the tagger
(`worker_preload`), so a replacement is ready at once.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Final, TypeVar

from pebble import ProcessExpired, ProcessPool

from bot.ingest.errors import SourceError

logger = logging.getLogger(__name__)

T = TypeVar("T")
# Imported once by the forkserver, so every worker starts with the parsers and tagger loaded.
_PRELOAD: Final = ["bot.ingest.worker_preload"]


class ParsingPool:
    """A few worker processes, started on first use and replaced when killed or crashed."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: ProcessPool | None = None

    def _started(self) -> ProcessPool:
        if self._pool is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(_PRELOAD)
            self._pool = ProcessPool(max_workers=self.workers, context=context)
        return self._pool

    async def run(
        self, function: Callable[..., T], /, *args: Any, budget: float, **kwargs: Any
    ) -> T:
        """`function(*args, **kwargs)` in a worker; SourceError("parse.timeout") when it takes
        longer than `budget` seconds, ("parse.crashed") when the worker died under it.
        A SourceError raised by `function` reaches the caller as it was raised."""
        if budget <= 0:
            raise SourceError("poll.deadline")
        # If the awaiting task is cancelled, wrap_future cancels the call and pebble stops
        # the worker running it.
        future = self._started().schedule(function, args=args, kwargs=kwargs, timeout=budget)
        try:
            return await asyncio.wrap_future(future)
        except TimeoutError:
            logger.warning("parsing overran its budget and was stopped budget=%.1fs", budget)
            raise SourceError("parse.timeout") from None
        except ProcessExpired as error:
            logger.warning("parsing worker died exit=%s", error.exitcode)
            raise SourceError("parse.crashed") from None
        except MemoryError:
            raise SourceError("parse.memory") from None
        except BrokenProcessPool:
            # Workers could not start at all; the next call builds a new pool.
            logger.exception("parsing workers are broken; starting new ones")
            await asyncio.to_thread(self.close)
            raise SourceError("parse.crashed") from None

    def close(self) -> None:
        """Stop the workers (running calls are abandoned) and wait for them to exit."""
        if self._pool is not None:
            self._pool.stop()  # type: ignore[no-untyped-call]
            self._pool.join(timeout=10)
            self._pool = None
