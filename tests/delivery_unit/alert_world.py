"""A small world for alert tests, written straight into a real database: urgent articles in our
own words, chats with their regions and settings, and the alert rows a plan leaves."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlmodel import col

from bot.delivery.alert_planner import AlertPolicy, plan_alerts
from bot.i18n import default_translator
from storage.engine import Database
from storage.models import Article, ArticleRegion, Chat, Delivery, Source, Subscription
from storage.queries.alerts import insert_alerts
from storage.queries.deliveries import ALERT

NOW = datetime(2026, 12, 8, 6, 0, tzinfo=UTC)  # 11:00 in Asia/Almaty
TRANSLATOR = default_translator()

OUTAGE_RU = (
    "В Караганде 9 декабря отключат холодную воду",
    "9 декабря с 10:00 до 18:00 в Юго-Востоке Караганды не будет холодной воды: на улице "
    "Муканова меняют задвижку на магистральном водоводе, сообщили в городском водоканале.",
)
OUTAGE_KK = (
    "Қарағандыда 9 желтоқсанда суық су болмайды",
    "9 желтоқсан күні сағат 10:00-ден 18:00-ге дейін Қарағандының Оңтүстік-Шығыс "
    "ауданында суық су берілмейді: Мұқанов көшесіндегі су құбырында ысырма ауыстырылады.",
)
STORM_KK = (
    "Ұлытау облысында дауыл болады деп ескертілді",
    "Ұлытау облысында түнде екпіні секундына 25 метрге дейін жететін дауыл күтіледі, деп "
    "хабарлады Қазгидромет.",
)


async def add_source(database: Database, *, official: bool) -> int:
    async with database.write() as session:
        source = Source(
            kind="rss",
            url=f"https://{'akimat' if official else 'press'}.example.kz/rss",
            official=official,
            created_at=NOW,
        )
        session.add(source)
        await session.flush()
        assert source.id is not None
        return source.id


async def add_article(
    database: Database,
    text: tuple[str, str],
    *,
    language: str,
    regions: Sequence[str] = ("karaganda",),
    category: str | None = "outage",
    cluster_id: int | None = None,
    ingested_at: datetime = NOW,
    published_at: datetime | None = None,
    source_id: int | None = None,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
) -> int:
    """Store one article with its regions (the first is the main one); its id."""
    title, body = text
    digest = hashlib.sha256(f"{title}{ingested_at}{language}".encode()).hexdigest()
    async with database.write() as session:
        article = Article(
            source_id=source_id,
            canonical_url=f"https://news.example.kz/{digest[:12]}",
            source_url=f"https://news.example.kz/{language}/{digest[:8]}",
            title=title,
            raw_title=title,
            body=body,
            summary=body[:120],
            language=language,
            content_hash=digest,
            published_at=published_at or ingested_at - timedelta(minutes=5),
            ingested_at=ingested_at,
            updated_at=ingested_at,
            cluster_id=cluster_id,
            alert_category=category,
            alert_starts_at=starts_at,
            alert_ends_at=ends_at,
        )
        session.add(article)
        await session.flush()
        assert article.id is not None
        for rank, region in enumerate(regions):
            session.add(ArticleRegion(article_id=article.id, region=region, rank=rank))
        return article.id


async def add_chat(
    database: Database,
    chat_id: int,
    *,
    regions: Sequence[str] = ("karaganda",),
    language: str = "ru",
    alerts: bool = True,
    quiet: tuple[str, str] | None = None,
    official_only: bool = False,
    paused: bool = False,
    blocked: bool = False,
    topics: Sequence[str] = (),
    keywords: Sequence[str] = (),
    excludes: Sequence[str] = (),
) -> int:
    async with database.write() as session:
        session.add(
            Chat(
                id=chat_id,
                language=language,
                alerts=alerts,
                quiet_start=quiet[0] if quiet else None,
                quiet_end=quiet[1] if quiet else None,
                official_only=official_only,
                paused=paused,
                blocked=blocked,
                next_due_at=NOW + timedelta(days=1),
                created_at=NOW,
                updated_at=NOW,
            )
        )
        await session.flush()
        for kind, values in (
            ("region", regions),
            ("topic", topics),
            ("keyword", keywords),
            ("exclude", excludes),
        ):
            for value in values:
                session.add(Subscription(chat_id=chat_id, kind=kind, value=value, created_at=NOW))
    return chat_id


async def plan(
    database: Database, *, now: datetime = NOW, cap: int = 5, since: datetime | None = None
) -> int:
    """Plan and insert as the alert tick does; how many rows the plan had."""
    async with database.read() as session:
        rows = await plan_alerts(
            session,
            now=now,
            fresh_since=since or now - timedelta(hours=24),
            policy=AlertPolicy(daily_cap=cap),
            translator=TRANSLATOR,
        )
    async with database.write() as session:
        await insert_alerts(session, rows=rows)
    return len(rows)


async def alert_rows(database: Database) -> list[Delivery]:
    async with database.read() as session:
        rows = await session.execute(
            select(Delivery).where(col(Delivery.kind) == ALERT).order_by(col(Delivery.id))
        )
        return list(rows.scalars())


async def alerted(database: Database) -> dict[int, list[int]]:
    """Article ids alerted (rows of any status) by chat."""
    found: dict[int, list[int]] = {}
    for row in await alert_rows(database):
        assert row.article_id is not None
        found.setdefault(row.chat_id, []).append(row.article_id)
    return found
