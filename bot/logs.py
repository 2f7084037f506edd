"""Logging set-up for every command: levels, a quiet httpx, and secrets never shown.

The bot token (Bot API URLs carry it) and the database password may turn up in any message or
traceback; everything written to stderr passes through `redact` first.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Iterable

REDACTED = "[REDACTED]"
_reports = logging.getLogger("newsdigest.reports")


def redact(text: str, secrets: Iterable[str]) -> str:
    """`text` with every non-empty secret replaced; the longest first, so no fragment survives."""
    for secret in sorted((s for s in secrets if s), key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return text


class RedactSecrets(logging.Filter):
    """Replaces secrets wherever they appear in a record's final message or traceback."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self._secrets = [secret for secret in secrets if secret]

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._secrets:
            return True
        message = record.getMessage()
        redacted = redact(message, self._secrets)
        if record.exc_info and record.exc_info[1] is not None:
            # Tracebacks are formatted later from the raw exception: format and redact them now.
            text = redact("".join(traceback.format_exception(*record.exc_info)), self._secrets)
            redacted = f"{redacted}\n{text.rstrip()}"
            record.exc_info = None
            record.exc_text = None
        if redacted != message or record.args:
            record.msg = redacted
            record.args = None
        return True


def configure_logging(level: str, *, secrets: Iterable[str]) -> None:
    """Log to stderr with `key=value`-friendly lines; Bot API URLs carry the token, so redact."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("httpx", "httpcore", "apscheduler", "aiosqlite", "alembic"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))


def route_reports_to_logging() -> None:
    """Send what Python would print raw — warnings, exceptions in threads and in `__del__` —
    through logging, so the redacting handler sees them. For processes, not for tests."""
    logging.captureWarnings(True)
    threading.excepthook = _thread_exception
    sys.unraisablehook = _unraisable


def _thread_exception(report: threading.ExceptHookArgs) -> None:
    if report.exc_type is SystemExit or report.exc_value is None:
        return
    name = report.thread.name if report.thread else "?"
    # aiosqlite's worker thread answers a connection that failed after asyncio.run has closed
    # the loop: nothing is lost, and the failure itself has already been reported.
    late = isinstance(report.exc_value, RuntimeError) and "Event loop is closed" in str(
        report.exc_value
    )
    _reports.log(
        logging.DEBUG if late else logging.ERROR,
        "exception in thread=%s",
        name,
        exc_info=(report.exc_type, report.exc_value, report.exc_traceback),
    )


def _unraisable(report: sys.UnraisableHookArgs) -> None:
    if report.exc_value is None:
        return
    _reports.warning(
        "%s: %r",
        report.err_msg or "Exception ignored in",
        report.object,
        exc_info=(report.exc_type, report.exc_value, report.exc_traceback),
    )
