"""What a failed Bot API call means for a digest, decided from the error alone.

python-telegram-bot's edges matter here: BadRequest and TimedOut are NetworkErrors, so a
blanket retry on NetworkError would retry permanent errors; a TimedOut does not prove the
message was not delivered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import Enum

from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)


class Outcome(Enum):
    WAIT = "wait"  # 429: wait as told, then send again
    RETRY = "retry"  # nothing was delivered (refused, 5xx): back off, send again
    AMBIGUOUS = "ambiguous"  # may have been delivered (timeout): one guarded retry
    BLOCKED = "blocked"  # the bot may not write there: skip the chat until it comes back
    GONE = "gone"  # the chat does not exist any more
    MIGRATED = "migrated"  # a group became a supergroup: move the chat, send there
    UNPARSEABLE = "unparseable"  # Telegram refused our HTML: send once as plain text
    TOPIC_GONE = "topic_gone"  # a closed or deleted forum topic: fall back to General
    FAILED = "failed"  # any other refusal: give this digest up


@dataclass(frozen=True, slots=True)
class Verdict:
    outcome: Outcome
    wait_seconds: float = 0.0
    new_chat_id: int | None = None


# The kind each verdict is counted as in newsdigest_telegram_errors_total; the rest are
# refusals of the request (a 400): bad_request.
_ERROR_KINDS = {
    Outcome.WAIT: "retry_after",
    Outcome.RETRY: "network",
    Outcome.AMBIGUOUS: "timeout",
    Outcome.BLOCKED: "blocked",
    Outcome.GONE: "gone",
}
# Transport failures after the request may have reached Telegram (bot/chat/telegram_http.py
# names the aiohttp error); a refused connection (ClientConnectorError) sent nothing.
_AMBIGUOUS_NETWORK = ("serverdisconnected", "clientpayloaderror", "clientoserror")
_TOPIC_GONE = ("topic_closed", "topic_deleted", "thread not found")


def judge(error: TelegramError) -> Verdict:
    """The verdict for one error raised by a send."""
    if isinstance(error, RetryAfter):
        after = error.retry_after
        seconds = after.total_seconds() if isinstance(after, timedelta) else float(after)
        return Verdict(Outcome.WAIT, wait_seconds=seconds)
    if isinstance(error, ChatMigrated):
        return Verdict(Outcome.MIGRATED, new_chat_id=error.new_chat_id)
    if isinstance(error, Forbidden):
        return Verdict(Outcome.BLOCKED)
    if isinstance(error, BadRequest):
        message = error.message.lower()
        if "chat not found" in message or "user is deactivated" in message:
            return Verdict(Outcome.GONE)
        if "can't parse entities" in message:
            return Verdict(Outcome.UNPARSEABLE)
        if any(marker in message for marker in _TOPIC_GONE):
            return Verdict(Outcome.TOPIC_GONE)
        if "not enough rights" in message or "have no rights" in message:
            return Verdict(Outcome.BLOCKED)
        return Verdict(Outcome.FAILED)
    if isinstance(error, TimedOut):
        return Verdict(Outcome.AMBIGUOUS)
    if isinstance(error, NetworkError):
        message = error.message.lower().replace(" ", "")
        if any(marker in message for marker in _AMBIGUOUS_NETWORK):
            return Verdict(Outcome.AMBIGUOUS)
        return Verdict(Outcome.RETRY)
    return Verdict(Outcome.FAILED)


def error_kind(verdict: Verdict) -> str:
    """The `kind` label a failed send is counted under (a timeout: may have been delivered)."""
    return _ERROR_KINDS.get(verdict.outcome, "bad_request")
