"""Counters move where the events happen: the real sender and Application against the
emulator, the module's own registry read before and after (deltas, so tests may share it)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from telegram import Update
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TimedOut

from bot.chat.actions import ChooseLanguage
from bot.chat.application import update_kind
from bot.chat.callback_data import pack
from bot.delivery.outcomes import error_kind, judge
from bot.emulator import Chat, User
from tests.chat.conftest import Harness
from tests.metrics.reading import Reading

DUE = datetime(2025, 1, 14, 7, 0, tzinfo=UTC)  # 12:00 in Asia/Almaty


async def _reader(harness: Harness) -> tuple[User, Chat]:
    user, chat = harness.private_chat()
    await harness.say(user, chat, "/subscribe karaganda")
    await harness.say(user, chat, "/time 12:00")
    return user, chat


def _without_histogram_sums(changed: dict[str, float]) -> dict[str, float]:
    return {
        name: delta
        for name, delta in changed.items()
        if not name.startswith(("newsdigest_send_seconds", "newsdigest_delivery_lag_seconds"))
    }


async def test_a_delivery_through_429_and_5xx_counts_each_error_and_one_send(
    harness: Harness,
) -> None:
    _, chat = await _reader(harness)
    harness.emulator.inject_fault(
        "retry_after", method="sendMessage", chat=chat, times=1, retry_after=1
    )
    harness.emulator.inject_fault("http_error", method="sendMessage", chat=chat, times=2)
    harness.clock.set(DUE.replace(second=30))  # 30 s late
    before = Reading()
    assert (await harness.ticker.tick()).sent == 1
    changed = Reading().moved(before)
    assert _without_histogram_sums(changed) == {
        "newsdigest_telegram_errors_total{kind=retry_after}": 1,
        "newsdigest_telegram_errors_total{kind=network}": 2,
        "newsdigest_messages_sent_total": 1,
        "newsdigest_deliveries_total{status=sent}": 1,
    }
    assert changed["newsdigest_send_seconds_count"] == 4  # every call, failed ones too
    assert changed["newsdigest_delivery_lag_seconds_count"] == 1
    assert changed["newsdigest_delivery_lag_seconds_sum"] == 30.0  # from the injected clock
    assert changed["newsdigest_delivery_lag_seconds_bucket{le=60.0}"] == 1
    assert "newsdigest_delivery_lag_seconds_bucket{le=15.0}" not in changed


async def test_a_blocked_chat_counts_a_failed_delivery(harness: Harness) -> None:
    _, chat = await _reader(harness)
    harness.emulator.inject_fault(
        "http_error",
        method="sendMessage",
        chat=chat,
        status=403,
        description="Forbidden: bot was blocked by the user",
    )
    harness.clock.set(DUE)
    before = Reading()
    await harness.ticker.tick()
    changed = _without_histogram_sums(Reading().moved(before))
    assert changed == {
        "newsdigest_telegram_errors_total{kind=blocked}": 1,
        "newsdigest_deliveries_total{status=failed}": 1,
    }


async def test_a_timeout_counts_a_possible_repeat(harness: Harness) -> None:
    _, chat = await _reader(harness)
    harness.services.settings.send_timeout_seconds = 0.3
    harness.emulator.inject_fault(
        "delay", method="sendMessage", chat=chat, times=1, delay=1.0, deliver=True
    )
    harness.clock.set(DUE)
    before = Reading()
    assert (await harness.ticker.tick()).sent == 1
    changed = _without_histogram_sums(Reading().moved(before))
    assert changed == {
        "newsdigest_telegram_errors_total{kind=timeout}": 1,
        "newsdigest_possible_repeats_total": 1,
        "newsdigest_messages_sent_total": 1,
        "newsdigest_deliveries_total{status=sent}": 1,
    }


async def test_commands_and_buttons_are_counted_by_kind(harness: Harness) -> None:
    user, chat = harness.private_chat()
    before = Reading()
    [welcome] = await harness.say(user, chat, "/start")
    await harness.press(user, welcome, pack(ChooseLanguage("en")))
    await harness.say(user, chat, "hello")  # plain text: not counted
    changed = Reading().moved(before)
    assert changed == {
        "newsdigest_updates_total{kind=command}": 1,
        "newsdigest_updates_total{kind=callback}": 1,
    }


async def test_an_error_in_a_handler_is_counted_once(harness: Harness) -> None:
    user, chat = harness.private_chat()
    harness.emulator.inject_fault(
        "http_error",
        method="sendMessage",
        chat=chat,
        times=1,
        status=400,
        description="Bad Request: message text is empty",
    )
    before = Reading()
    [apology] = await harness.say(user, chat, "/help")  # the reply fails; the apology does not
    assert apology.text == harness.services.texts("en")("error.generic")
    changed = Reading().moved(before)
    assert changed == {
        "newsdigest_updates_total{kind=command}": 1,
        "newsdigest_handler_errors_total": 1,
    }


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (RetryAfter(3), "retry_after"),
        (TimedOut(), "timeout"),
        (Forbidden("Forbidden: bot was blocked by the user"), "blocked"),
        (BadRequest("Bad Request: not enough rights to send text messages"), "blocked"),
        (BadRequest("Bad Request: chat not found"), "gone"),
        (BadRequest("Bad Request: message is too long"), "bad_request"),
        (BadRequest("Bad Request: can't parse entities"), "bad_request"),
        (ChatMigrated(-100123), "bad_request"),
    ],
)
def test_error_kinds(error: Exception, kind: str) -> None:
    assert error_kind(judge(error)) == kind


USER = {"id": 7, "is_bot": False, "first_name": "Aigerim"}
CHAT = {"id": 7, "type": "private", "first_name": "Aigerim"}


def _message(text: str) -> dict[str, object]:
    return {"message_id": 1, "date": 1736834400, "chat": CHAT, "from": USER, "text": text}


def _member() -> dict[str, object]:
    member = {"user": USER, "status": "member"}
    return {
        "chat": CHAT,
        "from": USER,
        "date": 1736834400,
        "old_chat_member": {**member, "status": "left"},
        "new_chat_member": member,
    }


@pytest.mark.parametrize(
    ("update", "kind"),
    [
        ({"update_id": 1, "message": _message("/start")}, "command"),
        ({"update_id": 1, "channel_post": _message("/digest")}, "command"),
        ({"update_id": 1, "message": _message("hello")}, None),
        (
            {
                "update_id": 1,
                "callback_query": {
                    "id": "1",
                    "from": USER,
                    "chat_instance": "1",
                    "data": "x",
                },
            },
            "callback",
        ),
        ({"update_id": 1, "my_chat_member": _member()}, "member"),
        ({"update_id": 1, "chat_member": _member()}, "member"),
    ],
)
def test_update_kinds(update: dict[str, object], kind: str | None) -> None:
    assert update_kind(Update.de_json(update, None)) == kind
