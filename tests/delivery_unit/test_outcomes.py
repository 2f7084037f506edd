"""Every Bot API error a send can raise maps to the right delivery decision."""

from __future__ import annotations

from datetime import timedelta

import pytest
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.delivery.outcomes import Outcome, judge


@pytest.mark.parametrize(
    ("error", "outcome"),
    [
        (Forbidden("Forbidden: bot was blocked by the user"), Outcome.BLOCKED),
        (Forbidden("Forbidden: bot was kicked from the group chat"), Outcome.BLOCKED),
        (BadRequest("Bad Request: chat not found"), Outcome.GONE),
        (BadRequest("Bad Request: can't parse entities: unclosed tag"), Outcome.UNPARSEABLE),
        (BadRequest("Bad Request: TOPIC_CLOSED"), Outcome.TOPIC_GONE),
        (BadRequest("Bad Request: message thread not found"), Outcome.TOPIC_GONE),
        (BadRequest("Bad Request: message is too long"), Outcome.FAILED),
        (TimedOut(), Outcome.AMBIGUOUS),
        (NetworkError("aiohttp.ClientConnectorError: Cannot connect to host"), Outcome.RETRY),
        (NetworkError("Bad Gateway"), Outcome.RETRY),
        (NetworkError("aiohttp.ServerDisconnectedError: Server disconnected"), Outcome.AMBIGUOUS),
        (NetworkError("aiohttp.ClientOSError: [Errno 104] Connection reset"), Outcome.AMBIGUOUS),
        (
            NetworkError("aiohttp.ClientPayloadError: Response payload is not completed"),
            Outcome.AMBIGUOUS,
        ),
        (TelegramError("something new"), Outcome.FAILED),
    ],
)
def test_judge(error: TelegramError, outcome: Outcome) -> None:
    assert judge(error).outcome is outcome


def test_bad_request_is_never_retried_although_it_is_a_network_error() -> None:
    assert isinstance(BadRequest("x"), NetworkError)
    assert judge(BadRequest("Bad Request: whatever")).outcome is Outcome.FAILED


def test_retry_after_and_migration_carry_their_values() -> None:
    verdict = judge(RetryAfter(timedelta(seconds=7)))
    assert (verdict.outcome, verdict.wait_seconds) == (Outcome.WAIT, 7.0)
    moved = judge(ChatMigrated(-100123))
    assert (moved.outcome, moved.new_chat_id) == (Outcome.MIGRATED, -100123)
