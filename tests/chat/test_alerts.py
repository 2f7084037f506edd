"""Urgent alerts through the emulator: sent by the alert tick once, held through quiet hours,
dropped when the event is over, and marked in the chat's next digest (only in that chat's)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from bot.domain.telegram_html import visible_text
from bot.emulator import Chat
from storage.models import Chat as StoredChat
from storage.queries import alerts as alert_queries
from tests.chat.conftest import Harness
from tests.delivery_unit.alert_world import OUTAGE_RU, add_article, alert_rows

# The harness clock starts at 06:00 UTC = 11:00 in Asia/Almaty on 14 January 2025.
MARK = "🔔 sent earlier as an alert"


async def _reader(
    harness: Harness, name: str, *, alerts: bool = True, quiet: tuple[str, str] | None = None
) -> Chat:
    """A Karaganda reader with a 12:00 digest; alerts and quiet hours set in the database
    (their commands are another module's)."""
    user, chat = harness.private_chat(name)
    await harness.say(user, chat, "/subscribe karaganda")
    await harness.say(user, chat, "/time 12:00")
    async with harness.database.write() as session:
        await session.execute(
            update(StoredChat)
            .where(StoredChat.id == chat.id)  # type: ignore[arg-type]
            .values(
                alerts=alerts,
                quiet_start=quiet[0] if quiet else None,
                quiet_end=quiet[1] if quiet else None,
            )
        )
    return chat


def _alerts(harness: Harness, chat: Chat) -> list[str]:
    return [
        visible_text(m.raw_text or "")
        for m in harness.emulator.messages_to(chat)
        if "🔌" in (m.raw_text or "")
    ]


async def _outage(harness: Harness, *, ends_at: datetime | None = None) -> int:
    return await add_article(
        harness.database, OUTAGE_RU, language="ru", ingested_at=harness.clock.now(), ends_at=ends_at
    )


async def test_an_alert_is_sent_by_the_next_tick_once(harness: Harness) -> None:
    chat = await _reader(harness, "Aigerim")
    silent = await _reader(harness, "Dmitry", alerts=False)
    await _outage(harness)
    report = await harness.ticker.alerts.tick()
    assert (report.claimed, report.sent) == (1, 1)
    [alert] = _alerts(harness, chat)
    assert OUTAGE_RU[0] in alert and "news.example.kz" in alert
    assert _alerts(harness, silent) == []
    harness.clock.advance(seconds=15)
    assert await harness.ticker.alerts.tick() == type(report)()
    assert len(_alerts(harness, chat)) == 1


async def test_the_next_digest_marks_the_alerted_story_only_for_the_chat_alerted(
    harness: Harness,
) -> None:
    alerted = await _reader(harness, "Aigerim")
    other = await _reader(harness, "Dmitry", alerts=False)  # the same interests: one composition
    await _outage(harness)
    await harness.ticker.alerts.tick()
    harness.clock.set(datetime(2025, 1, 14, 7, 0, tzinfo=UTC))
    assert (await harness.ticker.tick()).sent == 2
    digests = {
        chat.id: next(
            visible_text(m.raw_text or "")
            for m in harness.emulator.messages_to(chat)
            if "News digest" in (m.raw_text or "")
        )
        for chat in (alerted, other)
    }
    assert f"{OUTAGE_RU[0]} · {MARK}" in digests[alerted.id]
    assert OUTAGE_RU[1][:40] not in digests[alerted.id]  # short: no summary line
    assert OUTAGE_RU[0] in digests[other.id] and MARK not in digests[other.id]


async def test_quiet_hours_hold_an_alert_until_they_end(harness: Harness) -> None:
    chat = await _reader(harness, "Aigerim", quiet=("10:30", "11:30"))  # now 11:00 local
    await _outage(harness)
    report = await harness.ticker.alerts.tick()
    assert (report.claimed, report.sent) == (1, 0)
    harness.clock.advance(minutes=29, seconds=59)
    assert (await harness.ticker.alerts.tick()).sent == 0
    assert _alerts(harness, chat) == []
    harness.clock.advance(seconds=1)  # 11:30 local: quiet hours are over
    assert (await harness.ticker.alerts.tick()).sent == 1
    assert len(_alerts(harness, chat)) == 1


async def test_a_held_alert_whose_event_is_over_is_not_sent(harness: Harness) -> None:
    chat = await _reader(harness, "Aigerim", quiet=("10:30", "13:00"))
    await _outage(harness, ends_at=harness.clock.now() + timedelta(hours=3))  # 14:00 local
    await harness.ticker.alerts.tick()
    harness.clock.advance(hours=4)  # the bot was down past the end of the event
    assert (await harness.ticker.alerts.tick()).sent == 0
    assert _alerts(harness, chat) == []
    [row] = await alert_rows(harness.database)
    assert (row.status, row.message_ids) == (alert_queries.EXPIRED, [])


async def test_a_chat_that_turned_alerts_off_while_one_was_held_does_not_get_it(
    harness: Harness,
) -> None:
    chat = await _reader(harness, "Aigerim", quiet=("10:30", "11:30"))
    await _outage(harness)
    await harness.ticker.alerts.tick()
    async with harness.database.write() as session:
        await session.execute(
            update(StoredChat).where(StoredChat.id == chat.id).values(alerts=False)  # type: ignore[arg-type]
        )
    harness.clock.advance(hours=1)
    assert (await harness.ticker.alerts.tick()).sent == 0
    [row] = await alert_rows(harness.database)
    assert row.status == alert_queries.WITHDRAWN
