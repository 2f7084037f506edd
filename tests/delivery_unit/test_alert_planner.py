"""Who gets an urgent alert, in which version, when: the planner on a real database (SQLite, and
PostgreSQL when TEST_POSTGRES_URL is set), with the instant passed in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.telegram_html import visible_text
from storage.engine import Database
from storage.queries import alerts as alert_queries
from storage.queries import deliveries as ledger
from tests.delivery_unit.alert_world import (
    NOW,
    OUTAGE_KK,
    OUTAGE_RU,
    STORM_KK,
    add_article,
    add_chat,
    add_source,
    alert_rows,
    alerted,
    plan,
)


async def test_an_alert_reaches_the_chats_of_its_region_that_asked_for_alerts(
    database: Database,
) -> None:
    article = await add_article(database, OUTAGE_RU, language="ru")
    reader = await add_chat(database, 1)
    await add_chat(database, 2, regions=("turkestan",))
    await add_chat(database, 3, alerts=False)
    await add_chat(database, 4, paused=True)
    await add_chat(database, 5, blocked=True)
    both = await add_chat(database, 6, regions=("turkestan", "karaganda"))
    assert await plan(database) == 2
    assert await alerted(database) == {reader: [article], both: [article]}
    [row, _] = await alert_rows(database)
    assert (row.status, row.due_at, row.story_id, row.window_end_id) == (
        ledger.CLAIMED,
        NOW,
        article,
        0,
    )
    assert await plan(database) == 0  # planned once, whatever the number of ticks


async def test_topics_do_not_filter_alerts_but_exclusions_do(database: Database) -> None:
    article = await add_article(database, OUTAGE_RU, language="ru")
    sport_only = await add_chat(database, 1, topics=("culture",))
    keyword = await add_chat(database, 2, keywords=("бюджет",))
    await add_chat(database, 3, excludes=("холодной воды",))
    assert await plan(database) == 2
    assert await alerted(database) == {sport_only: [article], keyword: [article]}


async def test_official_only_chats_get_only_official_sources_alerts(database: Database) -> None:
    akimat = await add_source(database, official=True)
    press = await add_source(database, official=False)
    official = await add_article(database, OUTAGE_RU, language="ru", source_id=akimat)
    storm = await add_article(
        database, STORM_KK, language="kk", regions=("karaganda",), category="weather",
        source_id=press,
    )  # fmt: skip
    strict = await add_chat(database, 1, official_only=True)
    everything = await add_chat(database, 2)
    await plan(database)
    assert await alerted(database) == {strict: [official], everything: [official, storm]}


async def test_each_reader_gets_the_version_in_their_language_else_the_earliest(
    database: Database,
) -> None:
    russian = await add_article(database, OUTAGE_RU, language="ru")
    kazakh = await add_article(
        database,
        OUTAGE_KK,
        language="kk",
        cluster_id=russian,
        ingested_at=NOW + timedelta(seconds=1),
    )
    await add_chat(database, 1, language="ru")
    await add_chat(database, 2, language="kk")
    await add_chat(database, 3, language="en")
    await plan(database, now=NOW + timedelta(seconds=2))
    assert await alerted(database) == {1: [russian], 2: [kazakh], 3: [russian]}
    assert {row.story_id for row in await alert_rows(database)} == {russian}


async def test_a_later_version_of_an_alerted_story_alerts_nobody_again(database: Database) -> None:
    russian = await add_article(database, OUTAGE_RU, language="ru")
    await add_chat(database, 1, language="ru")
    await add_chat(database, 2, language="kk")
    assert await plan(database) == 2
    later = NOW + timedelta(minutes=20)
    await add_article(database, OUTAGE_KK, language="kk", cluster_id=russian, ingested_at=later)
    assert await plan(database, now=later, since=later - timedelta(minutes=1)) == 0
    assert await alerted(database) == {1: [russian], 2: [russian]}


async def test_an_alert_in_quiet_hours_waits_for_their_end(database: Database) -> None:
    night = datetime(2026, 12, 8, 18, 0, tzinfo=UTC)  # 23:00 in Asia/Almaty
    await add_article(database, OUTAGE_RU, language="ru", ingested_at=night)
    await add_chat(database, 1, quiet=("22:00", "07:00"))
    await add_chat(database, 2, quiet=("07:00", "22:00"))
    await plan(database, now=night)
    held, awake = await alert_rows(database)
    assert held.due_at == datetime(2026, 12, 9, 2, 0, tzinfo=UTC)  # 07:00 local
    assert (held.status, awake.due_at) == (ledger.CLAIMED, night)


async def test_an_event_over_before_quiet_hours_end_goes_to_the_digest(database: Database) -> None:
    night = datetime(2026, 12, 8, 18, 0, tzinfo=UTC)
    await add_article(
        database, STORM_KK, language="kk", regions=("karaganda",), category="weather",
        ingested_at=night, ends_at=night + timedelta(hours=6),
    )  # fmt: skip
    await add_article(
        database, OUTAGE_RU, language="ru", ingested_at=night,
        ends_at=night + timedelta(hours=10),
    )  # fmt: skip
    await add_chat(database, 1, quiet=("22:00", "07:00"))
    await plan(database, now=night)
    storm, outage = await alert_rows(database)
    assert (storm.status, storm.payload) == (alert_queries.EXPIRED, None)
    assert outage.status == ledger.CLAIMED
    # At 07:00 the outage goes out; had it ended by then, it would be finished unsent.
    async with database.write() as session:
        await alert_queries.close_unsendable(session, now=night + timedelta(hours=11))
    [outage] = [row for row in await alert_rows(database) if row.id == outage.id]
    assert outage.status == alert_queries.EXPIRED


async def test_the_daily_cap_counts_the_chats_local_day(database: Database) -> None:
    evening = datetime(2026, 12, 8, 18, 30, tzinfo=UTC)  # 23:30 in Asia/Almaty
    for number in range(2):
        await add_article(
            database, (f"Отключение воды №{number}", OUTAGE_RU[1]), language="ru",
            ingested_at=evening,
        )  # fmt: skip
    await add_chat(database, 1)
    await plan(database, now=evening, cap=2)
    after_midnight = evening + timedelta(hours=1)  # 00:30 local: a new day
    for number in range(3):
        await add_article(
            database, (f"Отключение света №{number}", OUTAGE_RU[1]), language="ru",
            ingested_at=after_midnight,
        )  # fmt: skip
    await plan(database, now=after_midnight, cap=2, since=after_midnight)
    rows = await alert_rows(database)
    assert [row.status for row in rows] == [ledger.CLAIMED] * 4 + [alert_queries.CAPPED]
    async with database.read() as session:  # the capped one comes in the chat's digest
        folded = await alert_queries.folded_alerts(session, chat_ids=[1], after_id=0)
    assert folded == {1: {rows[-1].article_id}}


async def test_alerts_never_move_the_digest_watermark(database: Database) -> None:
    await add_article(database, OUTAGE_RU, language="ru")
    await add_chat(database, 1)
    await plan(database)
    async with database.write() as session:
        assert await ledger.watermarks(session, chat_ids=[1]) == {}
        assert (
            await ledger.take_free(
                session, alerts=False, sender_id="test", now=NOW, until=NOW, limit=1
            )
            == []
        ), "no digest to send"
        assert await ledger.last_delivered(session, chat_id=1) is None
        [due] = await alert_queries.due_alerts(session, now=NOW, limit=10)
    async with database.write() as session:
        await ledger.insert_claims(
            session,
            rows=[
                {
                    "chat_id": 1, "due_at": NOW, "kind": "scheduled", "status": ledger.SENT,
                    "window_start_id": 0, "window_end_id": 1, "item_article_ids": [],
                    "parts_total": 0, "message_ids": [], "attempts": 0, "possible_repeats": 0,
                    "claimed_at": NOW,
                }
            ],
        )  # fmt: skip
    async with database.read() as session:
        assert await ledger.watermarks(session, chat_ids=[1]) == {1: 1}
        assert await alert_queries.due_alerts(session, now=NOW, limit=10) == [due]


async def test_the_alert_is_one_short_message_in_the_readers_language(
    database: Database,
) -> None:
    await add_article(
        database, OUTAGE_RU, language="ru",
        starts_at=datetime(2026, 12, 9, 5, 0, tzinfo=UTC),
        ends_at=datetime(2026, 12, 9, 13, 0, tzinfo=UTC),
    )  # fmt: skip
    await add_chat(database, 1, language="ru")
    await add_chat(database, 2, language="kk")
    await plan(database)
    russian, kazakh = (
        visible_text(str(row.payload[0]["text"]))
        for row in await alert_rows(database)
        if row.payload
    )
    assert russian.splitlines() == [
        "🔌 Отключение коммунальных услуг · Карагандинская область",
        OUTAGE_RU[0],
        "🕒 9 декабря, 10:00–18:00",
        "Подробнее: news.example.kz",
    ]
    assert kazakh.splitlines()[0].startswith("🔌 Коммуналдық қызметтердің өшірілуі · Қарағанды")
    assert "9 желтоқсан, 10:00–18:00" in kazakh


async def test_only_alerts_that_were_sent_mark_the_story_in_that_chats_digest(
    database: Database,
) -> None:
    first = await add_article(database, OUTAGE_RU, language="ru")
    second = await add_article(database, STORM_KK, language="kk", category="weather")
    await add_chat(database, 1)
    await add_chat(database, 2)
    await plan(database)
    async with database.write() as session:
        for row in await alert_rows(database):
            if (row.chat_id, row.story_id) == (1, first):
                stored = await ledger.get(session, delivery_id=row.id or 0)
                assert stored is not None
                stored.status = ledger.SENT
    async with database.read() as session:
        marks = await alert_queries.alerted_stories(
            session, chat_ids=[1, 2], story_ids=[first, second]
        )
    assert marks == {1: frozenset({first})}, "chat 2 received none of them"


async def test_a_backlog_notice_published_days_ago_alerts_nobody(database: Database) -> None:
    """A new source's first read brings last week's notices; one that names no date is not
    news of the moment, however recently it was read."""
    await add_article(database, OUTAGE_RU, language="ru", published_at=NOW - timedelta(days=5))
    await add_chat(database, 1)
    assert await plan(database) == 0
    fresh = await add_article(database, OUTAGE_KK, language="kk")
    assert await plan(database) == 1
    assert await alerted(database) == {1: [fresh]}


async def test_a_held_alert_is_withdrawn_when_the_digest_tells_the_story_first(
    database: Database,
) -> None:
    night = datetime(2026, 12, 8, 18, 0, tzinfo=UTC)  # 23:00 in Asia/Almaty
    russian = await add_article(database, OUTAGE_RU, language="ru", ingested_at=night)
    kazakh = await add_article(
        database, OUTAGE_KK, language="kk", cluster_id=russian, ingested_at=night
    )
    await add_chat(database, 1, quiet=("22:00", "07:00"))
    await add_chat(database, 2)  # awake: its alert is due now and may be on its way
    await plan(database, now=night)
    digest_time = night + timedelta(hours=7)  # 06:00 local, before the quiet hours end
    async with database.write() as session:
        for chat_id in (1, 2):  # each digest tells the story through its Kazakh version
            await alert_queries.withdraw_told_in_digest(
                session, chat_id=chat_id, article_ids=[kazakh], now=digest_time
            )
    held, due = await alert_rows(database)
    assert (held.chat_id, held.status, held.payload) == (1, alert_queries.WITHDRAWN, None)
    assert (due.chat_id, due.status) == (2, ledger.CLAIMED)


async def test_the_alert_names_the_region_the_reader_follows(database: Database) -> None:
    await add_article(database, OUTAGE_RU, language="ru", regions=("turkestan", "karaganda"))
    await add_chat(database, 1, language="en")
    await plan(database)
    [row] = await alert_rows(database)
    assert row.payload is not None
    assert "Karaganda region" in str(row.payload[0]["text"]).splitlines()[0]
