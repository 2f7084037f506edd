"""Logging set-up for every command: levels, a quiet httpx, and the bot token never shown."""

from __future__ import annotations

import logging
import sys
import traceback


class RedactSecrets(logging.Filter):
    """Replaces secrets (the bot token) wherever they appear in a record's final message."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self._secrets = [secret for secret in secrets if secret]

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._secrets:
            return True
        message = record.getMessage()
        redacted = message
        for secret in self._secrets:
            redacted = redacted.replace(secret, "[REDACTED]")
        if record.exc_info and record.exc_info[1] is not None:
            # Tracebacks are formatted later from the raw exception: format and redact them now.
            text = "".join(traceback.format_exception(*record.exc_info))
            for secret in self._secrets:
                text = text.replace(secret, "[REDACTED]")
            redacted = f"{redacted}\n{text.rstrip()}"
            record.exc_info = None
            record.exc_text = None
        if redacted != message or record.args:
            record.msg = redacted
            record.args = None
        return True


def configure_logging(level: str, *, secrets: list[str]) -> None:
    """Log to stderr with `key=value`-friendly lines; Bot API URLs carry the token, so redact."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("httpx", "httpcore", "apscheduler", "aiosqlite", "alembic"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))
