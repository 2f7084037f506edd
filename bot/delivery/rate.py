"""Telegram's flood limits as one rate limiter whose overall rate the live instances share.

PTB's AIORateLimiter fixes its overall rate when built (and lets paid broadcasts through at
1,000/s whatever RATE_OVERALL_PER_SECOND says); several instances must each send at their
share of one overall rate, which changes as instances come and go. So this small limiter keeps
the same two levels (per group, then overall; RetryAfter is re-raised to the sender, which
waits as told) and changes its overall pace when the share changes.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Coroutine
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.ext import BaseRateLimiter

GROUP_LIMITERS_KEPT = 512  # idle groups' buckets are dropped beyond this many

Result = bool | dict[str, Any] | list[dict[str, Any]]  # what a Bot API call returns


class _Pace:
    """Requests one `interval` apart: each reserves the next free slot and waits for it. A
    new interval applies from the next reservation, so a change of share never runs two
    paces side by side (two buckets would, for as long as the old one has waiters)."""

    def __init__(self, per_second: float) -> None:
        self.interval = 1 / per_second
        self._next = 0.0

    async def wait(self) -> None:
        now = asyncio.get_running_loop().time()
        slot = max(now, self._next)
        self._next = slot + self.interval
        if slot > now:
            await asyncio.sleep(slot - now)


class SharedRateLimiter(BaseRateLimiter[int]):
    """Every request to a chat waits for its overall slot (and a group's or channel's bucket);
    `share(n)` makes this instance send at 1/n of the overall rate."""

    def __init__(self, *, per_second: float, group_per_minute: int) -> None:
        self.per_second = per_second
        self.group_per_minute = group_per_minute
        self.instances = 1
        self._overall = _Pace(per_second)
        self._groups: dict[int | str, AsyncLimiter] = {}

    @property
    def rate(self) -> float:
        """This instance's overall rate now, in requests per second."""
        return self.per_second / self.instances

    def share(self, instances: int) -> None:
        """Send at the share of the overall rate of `instances` live instances (at least 1).

        Requests already waiting keep their slots; the next ones are paced at the new rate.
        """
        self.instances = max(instances, 1)
        self._overall.interval = 1 / self.rate

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Result:
        """Wait for the chat's group bucket (groups and channels), then an overall slot."""
        del endpoint, rate_limit_args  # PTB passes them by name; the buckets need neither
        chat_id = data.get("chat_id")
        if chat_id is None:  # getUpdates, getMe, answerCallbackQuery: not sends to a chat
            return await callback(*args, **kwargs)
        group = self._group(chat_id)
        async with group if group is not None else contextlib.nullcontext():
            await self._overall.wait()
            return await callback(*args, **kwargs)

    def _group(self, chat_id: object) -> AsyncLimiter | None:
        """The bucket of a group or channel (negative id or @username); None for a user."""
        with contextlib.suppress(ValueError, TypeError):
            chat_id = int(chat_id)  # type: ignore[call-overload]
        if not (isinstance(chat_id, str) or (isinstance(chat_id, int) and chat_id < 0)):
            return None
        if chat_id not in self._groups:
            if len(self._groups) >= GROUP_LIMITERS_KEPT:
                self._forget_idle_groups()
            self._groups[chat_id] = AsyncLimiter(self.group_per_minute, 60)
        return self._groups[chat_id]

    def _forget_idle_groups(self) -> None:
        for key, limiter in list(self._groups.items()):
            if limiter.has_capacity(limiter.max_rate):
                del self._groups[key]
