"""Floods from one private chat, against the real Application and Telegram-like flood limits.

Telegram's limits run on the bot's pinned clock, which the test moves 0.2 s per round, so
both sides see the same simulated time and no test sleeps; only answer latency is real time.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass

import pytest

from bot.chat.actions import ToggleRegion
from bot.chat.callback_data import pack
from bot.chat.groups import PRIVATE_BUDGET
from bot.emulator import Chat, FloodLimits, User
from bot.emulator.flood import FloodControl

from .conftest import Harness

SLOW_DOWN = "Slow down a little: I will answer again in a minute."
# What a flooder sends: real commands, an unknown one and plain text (each gets an answer).
FLOOD = ("/help", "/latest", "/mysubs", "/frobnicate", "zzz")
ROUNDS = 10  # one round: twenty flood messages, then one bystander's /help
PER_ROUND = 20
ROUND_SECONDS = 0.2


@dataclass
class Figures:
    """What a flood cost: Bot API calls, 429s, bystanders' waits, the flooder's messages."""

    calls: int
    retry_after: int
    worst_wait: float
    flooder_messages: list[str]
    warnings: list[logging.LogRecord]
    errors: list[logging.LogRecord]


def telegram_limits(harness: Harness) -> None:
    """Telegram's per-chat limits (a burst of 3, then one a second) on the bot's clock."""
    harness.emulator.state.flood = FloodControl(
        FloodLimits(), lambda: harness.clock.now().timestamp()
    )


async def flood(
    harness: Harness,
    flooder: tuple[User, Chat],
    bystanders: list[tuple[User, Chat]],
    caplog: pytest.LogCaptureFixture,
) -> Figures:
    """200 messages from one chat; between every twenty, a bystander's /help is timed."""
    state = harness.emulator.state
    calls_before, retry_before = len(state.calls), harness.emulator.retry_after_sent
    waits = []
    for round_ in range(ROUNDS):
        for n in range(PER_ROUND):
            harness.emulator.send_message(*flooder, FLOOD[(round_ * PER_ROUND + n) % len(FLOOD)])
        user, chat = bystanders[round_ % len(bystanders)]
        started = time.monotonic()
        [answer] = await harness.say(user, chat, "/help")
        waits.append(time.monotonic() - started)
        assert "/digest" in (answer.text or "")
        harness.clock.advance(seconds=ROUND_SECONDS)
    # Updates are handled in order: the last /help was answered, so the flood was handled too.
    return Figures(
        calls=sum(1 for name in state.calls[calls_before:] if name != "getUpdates"),
        retry_after=harness.emulator.retry_after_sent - retry_before,
        worst_wait=max(waits),
        flooder_messages=[m.text or "" for m in harness.emulator.messages_to(flooder[1])],
        warnings=[r for r in caplog.records if r.levelno == logging.WARNING],
        errors=[r for r in caplog.records if r.levelno >= logging.ERROR],
    )


async def test_a_flooding_chat_is_told_once_and_others_are_answered_promptly(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    telegram_limits(harness)
    flooder = harness.private_chat("Flooder")
    # Five people take turns: one chat asking five times a second would be a flood itself.
    bystanders = [harness.private_chat(f"Bystander {n}") for n in range(5)]
    figures = await flood(harness, flooder, bystanders, caplog)
    assert figures.worst_wait < 1.0, f"a bystander waited {figures.worst_wait:.2f} s"
    assert len(figures.flooder_messages) <= 25
    assert figures.flooder_messages.count(SLOW_DOWN) == 1
    assert figures.flooder_messages[-1] == SLOW_DOWN, "after the notice, silence"
    assert figures.errors == []
    # Telegram takes three answers at once; the rest of the burst and the first notice meet 429s.
    assert len(figures.warnings) <= PRIVATE_BUDGET.burst, [r.getMessage() for r in figures.warnings]
    for record in figures.warnings:
        assert record.getMessage().startswith("flood limit chat=") and record.exc_info is None
    assert figures.retry_after == len(figures.warnings), "each 429 is one line, none retried"
    assert figures.calls <= ROUNDS + PRIVATE_BUDGET.burst + 2, "bystanders, a burst, notices"


async def test_buttons_pressed_over_budget_are_answered_cheaply(harness: Harness) -> None:
    user, chat = harness.private_chat()
    [keyboard] = await harness.say(user, chat, "/regions")
    toggle = pack(ToggleRegion("karaganda"))
    answers = [await harness.press(user, keyboard, toggle) for _ in range(12)]
    assert answers[:9] == [""] * 9, "within the budget: toggled, no note"
    assert answers[9:] == [SLOW_DOWN, "", ""], "then one notice, then empty answers"
    assert len(harness.emulator.messages_to(chat)) == 1, "a press never costs a message"


async def test_a_429_is_one_warning_and_no_reply_is_retried(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    user, chat = harness.private_chat()
    harness.emulator.inject_fault("retry_after", method="sendMessage", chat=chat, retry_after=7)
    calls_before = len(harness.emulator.state.calls)
    harness.emulator.send_message(user, chat, "/help")  # its answer meets the 429
    await harness.say(user, chat, "/help")  # handled in order: the first one is done
    assert harness.emulator.state.faults.pending == []
    assert harness.emulator.state.calls[calls_before:].count("sendMessage") == 1, (
        "only the second answer: no apology, no retry after the 429"
    )
    loud = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(loud) == 1 and loud[0].exc_info is None
    assert re.fullmatch(
        rf"flood limit chat={chat.id} retry_after=7.0 update_id=\d+", loud[0].getMessage()
    )
    assert all(r.exc_info is None for r in caplog.records), "no tracebacks, not even at INFO"
