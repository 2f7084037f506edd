"""A secret that only a command knows (the webhook secret of `run`) joins the redaction of the
handlers already configured, from the next record on."""

from __future__ import annotations

import io
import logging

from bot.logs import REDACTED, RedactSecrets, redact_also

SECRET = "hook_secret-0123456789"


def test_redact_also_reaches_the_configured_handler() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactSecrets(["token-1"]))
    root = logging.getLogger()
    root.addHandler(handler)
    logger = logging.getLogger("tests.redaction")
    try:
        logger.warning("before: %s", SECRET)
        redact_also([SECRET, ""])
        redact_also([SECRET])  # twice is harmless
        logger.warning("after: %s and token-1", SECRET)
    finally:
        root.removeHandler(handler)
    before, after = stream.getvalue().splitlines()
    assert before == f"before: {SECRET}"
    assert after == f"after: {REDACTED} and {REDACTED}"
