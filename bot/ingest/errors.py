"""The one exception a source adapter raises: a source that gave nothing usable, and why."""

from __future__ import annotations


class SourceError(Exception):
    """A source's content could not be used; `reason` is a short key such as "feed.malformed".

    `retry_after` carries a server's Retry-After (seconds) when there was one.
    """

    def __init__(self, reason: str, *, retry_after: float | None = None, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.retry_after = retry_after
        self.detail = detail

    def __reduce__(self) -> tuple[object, ...]:
        """Pickled with its keywords: it crosses from parsing workers to the poller."""
        return (_rebuild, (self.reason, self.retry_after, self.detail))


def _rebuild(reason: str, retry_after: float | None, detail: str) -> SourceError:
    return SourceError(reason, retry_after=retry_after, detail=detail)
