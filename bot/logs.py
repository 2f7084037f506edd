"""Logging set-up for every command: levels, a quiet httpx, and secrets never shown.

The bot token (Bot API URLs carry it), the database password and the webhook secret (PTB logs
setWebhook's parameters at DEBUG) may turn up in any message or traceback; everything written
to stderr passes through `redact` first, as text lines or as one JSON object a line
(`LOG_FORMAT=json`).
"""

from __future__ import annotations

import json
import logging
import re
import sys
import threading
import traceback
from collections.abc import Iterable
from datetime import UTC, datetime

REDACTED = "[REDACTED]"
# `key=value` in a message: a quoted value may hold spaces; a bare one runs to the next space.
_CONTEXT = re.compile(r"""(?<![^\s(,])([A-Za-z_][\w.]*)=('[^']*'|"[^"]*"|[^\s,;)]+)""")
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
            # Tracebacks are formatted later from the raw exception: format and redact them now;
            # formatters append `exc_text` as they find it.
            text = redact("".join(traceback.format_exception(*record.exc_info)), self._secrets)
            record.exc_info = None
            record.exc_text = text.rstrip()
        elif record.exc_text:
            record.exc_text = redact(record.exc_text, self._secrets)
        if redacted != message or record.args:
            record.msg = redacted
            record.args = None
        return True


class JsonLines(logging.Formatter):
    """One JSON object a record, for log collectors: the `key=value` context becomes fields."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        entry: dict[str, str] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": message,
        }
        for key, value in context_fields(message).items():
            entry[f"{key}_" if key in entry or key == "exc_info" else key] = value
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exc_info"] = record.exc_text
        if record.stack_info:
            entry["stack_info"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False)


def context_fields(message: str) -> dict[str, str]:
    """The `key=value` pairs of a log message (quoted values unquoted), as logged."""
    fields: dict[str, str] = {}
    for match in _CONTEXT.finditer(message):
        value = match.group(2)
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        fields.setdefault(match.group(1), value)
    return fields


def configure_logging(level: str, *, secrets: Iterable[str], log_format: str = "text") -> None:
    """Log to stderr with `key=value`-friendly lines, or JSON ones; Bot API URLs carry the token,
    so redact (before either formatter runs)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        JsonLines()
        if log_format == "json"
        else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
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
