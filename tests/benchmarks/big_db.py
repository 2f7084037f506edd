"""A big SQLite database for the start-up and claim benchmarks, built once and cached; and the
same 1,000,000 articles in a PostgreSQL database for the search benchmark.

100,000 chats (subscriptions, next_due_at spread over the day, 5,000 due at BENCH_NOW, one
previous digest each in the ledger) and 1,000,000 articles of about 1 KB with their regions
and topics, indexed by the real FTS triggers. The schema comes from the real migrations; the
rows are written with sqlite3 `executemany` because the ORM would take hours. On PostgreSQL
(articles only, with their generated search_vector) the rows go in with COPY and the full-text
index is built afterwards, as a restore does. Run:
    .venv/bin/python -m tests.benchmarks.big_db [--rebuild] [--postgres URL]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import asyncpg
import numpy as np
from alembic.script import ScriptDirectory
from sqlalchemy import make_url

from bot.domain.taxonomy import NATIONAL, REGION_SLUGS, TOPIC_SLUGS
from storage.engine import create_database
from storage.migrate import alembic_config, upgrade_schema
from storage.queries.search import bound_keeping

VERSION = 1
CACHE = Path(__file__).resolve().parents[2] / "bench-data"
BENCH_NOW = datetime(2025, 6, 2, 3, 0, tzinfo=UTC)  # 08:00 in Asia/Almaty
CHATS = 100_000
DUE_CHATS = 5_000
ARTICLES = 1_000_000
ARTICLE_DAYS = 365
FIRST_CHAT_ID = 10_001
BATCH = 20_000
ZONE = ZoneInfo("Asia/Almaty")
REGIONS = tuple(slug for slug in REGION_SLUGS if slug != NATIONAL)
RECENT_BOUND = bound_keeping(ARTICLES)  # the recent search index's, as housekeeping sets it


@dataclass(frozen=True)
class BigDb:
    """Where the cached database is and what it holds."""

    path: str
    version: int
    now: str
    chats: int
    due_chats: int
    articles: int
    build_seconds: float

    @property
    def url(self) -> str:
        return f"sqlite+aiosqlite:///{self.path}"

    @property
    def instant(self) -> datetime:
        return datetime.fromisoformat(self.now)


def stamp(instant: datetime) -> str:
    """An instant as SQLAlchemy's SQLite DateTime stores it (naive UTC, microseconds)."""
    return instant.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def ensure_big_db(*, rebuild: bool = False, log: bool = True) -> BigDb:
    """The cached database, built first if missing (about 10-20 minutes on 2 cores)."""
    CACHE.mkdir(exist_ok=True)
    # A new migration means a new cache: `run` must not spend its start-up migrating.
    name = f"big-v{VERSION}-schema{_schema_head()}"
    target, meta = CACHE / f"{name}.db", CACHE / f"{name}.json"
    if meta.exists() and target.exists() and not rebuild:
        return BigDb(**json.loads(meta.read_text(encoding="utf-8")))
    for stale in CACHE.glob("big-v*"):
        stale.unlink()
    partial = CACHE / f"{name}.partial.db"
    started = time.perf_counter()
    asyncio.run(_migrate(f"sqlite+aiosqlite:///{partial}"))
    _fill(partial, log=log)
    partial.rename(target)
    info = BigDb(
        path=str(target),
        version=VERSION,
        now=BENCH_NOW.isoformat(),
        chats=CHATS,
        due_chats=DUE_CHATS,
        articles=ARTICLES,
        build_seconds=round(time.perf_counter() - started, 1),
    )
    meta.write_text(json.dumps(asdict(info), indent=2), encoding="utf-8")
    return info


def _schema_head() -> str:
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    return "-".join(sorted(heads))


async def _migrate(url: str) -> None:
    database = create_database(url)
    try:
        await upgrade_schema(database)
    finally:
        await database.dispose()


def _fill(path: Path, *, log: bool) -> None:
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        # Built once from scratch: a crash just means building again, so skip the journal.
        connection.execute("PRAGMA journal_mode=OFF")
        connection.execute("PRAGMA synchronous=OFF")
        connection.execute("PRAGMA cache_size=-400000")
        rng = np.random.default_rng(20250602)
        connection.execute("BEGIN")
        # The bound housekeeping would set once the articles are in: only the newest
        # RECENT_ARTICLES go into the recent search index as they are inserted.
        connection.execute("UPDATE search_recent_bound SET after_id = ?", (RECENT_BOUND,))
        _insert_source(connection)
        last_ids = _insert_articles(connection, rng, log=log)
        _insert_chats(connection, rng, last_ids)
        connection.execute("COMMIT")
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("ANALYZE")
    finally:
        connection.close()


def _insert_source(connection: sqlite3.Connection) -> None:
    connection.execute(
        "INSERT INTO source (id, kind, url, name, poll_minutes, enabled, consecutive_failures, "
        "created_at) VALUES (1, 'feed', 'https://bench.example.kz/rss', 'bench', 60, 1, 0, ?)",
        (stamp(BENCH_NOW - timedelta(days=ARTICLE_DAYS)),),
    )


def _vocabulary(rng: np.random.Generator) -> np.ndarray:
    """Five thousand pseudo-words of 3-11 letters, Latin and Cyrillic, Zipf-weighted later."""
    latin, cyrillic = "abdeghiklmnoprstuyz", "абвгдежзиклмнопрстуфхыэюяәіңғүұқөһ"
    words: set[str] = set()
    while len(words) < 5_000:
        letters = latin if len(words) % 3 else cyrillic
        size = int(rng.integers(3, 12))
        words.add("".join(letters[int(i)] for i in rng.integers(0, len(letters), size)))
    return np.array(sorted(words), dtype=object)


def _article_rows(
    rng: np.random.Generator,
    vocabulary: np.ndarray,
    start: int,
    count: int,
    when: Callable[[datetime], object] = stamp,
) -> Iterator[tuple[object, ...]]:
    weights = 1.0 / np.arange(1, len(vocabulary) + 1)
    weights /= weights.sum()
    words = rng.choice(len(vocabulary), size=(count, 125), p=weights)
    span = ARTICLE_DAYS * 86_400
    origin = BENCH_NOW - timedelta(days=ARTICLE_DAYS)
    languages = rng.choice(
        np.array(["ru", "kk", "en"], dtype=object), size=count, p=[0.6, 0.3, 0.1]
    )
    for row in range(count):
        article_id = start + row
        published = origin + timedelta(seconds=span * article_id // ARTICLES)
        text = vocabulary[words[row]]
        title = " ".join(text[:9]).capitalize()
        body = " ".join(text) + "."
        ingested = when(published + timedelta(minutes=20))
        yield (
            article_id, 1, f"https://bench.example.kz/news/{article_id}",
            f"https://bench.example.kz/news/{article_id}", "bench.example.kz", title, title,
            body, " ".join(text[:40]) + ".", languages[row], f"{article_id:064x}",
            when(published.replace(hour=0, minute=0, second=0)), "day", ingested, ingested,
            article_id,
        )  # fmt: skip


def _insert_articles(
    connection: sqlite3.Connection, rng: np.random.Generator, *, log: bool
) -> np.ndarray:
    """Articles with one or two regions and topics; returns the last article id of each day."""
    vocabulary = _vocabulary(rng)
    started = time.perf_counter()
    for start in range(1, ARTICLES + 1, BATCH):
        count = min(BATCH, ARTICLES + 1 - start)
        connection.executemany(
            "INSERT INTO article (id, source_id, canonical_url, source_url, site_name, title, "
            "raw_title, body, summary, language, content_hash, published_at, "
            "published_precision, ingested_at, updated_at, cluster_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            _article_rows(rng, vocabulary, start, count),
        )
        ids = range(start, start + count)
        regions = rng.integers(0, len(REGIONS), size=(count, 2))
        topics = rng.integers(0, len(TOPIC_SLUGS), size=(count, 2))
        connection.executemany(
            "INSERT OR IGNORE INTO article_region (article_id, region, rank) VALUES (?, ?, ?)",
            _tag_rows(ids, regions, REGIONS, rng),
        )
        connection.executemany(
            "INSERT OR IGNORE INTO article_topic (article_id, topic, rank) VALUES (?, ?, ?)",
            _tag_rows(ids, topics, TOPIC_SLUGS, rng),
        )
        if log:
            done = start + count - 1
            elapsed = time.perf_counter() - started
            print(f"big_db: {done:,} articles in {elapsed:.0f} s", file=sys.stderr, flush=True)
    days = np.arange(1, ARTICLE_DAYS + 1)
    return np.asarray(days * ARTICLES // ARTICLE_DAYS, dtype=np.int64)


def _tag_rows(
    ids: range, picks: np.ndarray, slugs: tuple[str, ...], rng: np.random.Generator
) -> Iterator[tuple[int, str, int]]:
    second = rng.random(len(ids)) < 0.3
    for row, article_id in enumerate(ids):
        yield article_id, slugs[int(picks[row, 0])], 0
        if second[row]:
            yield article_id, slugs[int(picks[row, 1])], 1


def _insert_chats(
    connection: sqlite3.Connection, rng: np.random.Generator, last_ids: np.ndarray
) -> None:
    """Chats due over the day after BENCH_NOW (DUE_CHATS of them already due), each with
    one to three subscriptions and yesterday's digest in the ledger."""
    created = stamp(BENCH_NOW - timedelta(days=30))
    offsets = rng.integers(60, 86_400, size=CHATS)
    offsets[:DUE_CHATS] = -rng.integers(0, 600, size=DUE_CHATS)
    rng.shuffle(offsets)
    languages = rng.choice(
        np.array(["ru", "kk", "en"], dtype=object), size=CHATS, p=[0.6, 0.3, 0.1]
    )
    chats, subscriptions, deliveries = [], [], []
    watermark = int(last_ids[-2])
    for row in range(CHATS):
        chat_id = FIRST_CHAT_ID + row
        due = BENCH_NOW + timedelta(seconds=int(offsets[row]))
        local = due.astimezone(ZONE).strftime("%H:%M")
        chats.append(
            (chat_id, "private", "", languages[row], "Asia/Almaty", local, "daily", 0, 0, 0,
             stamp(due), created, created)
        )  # fmt: skip
        for region in rng.choice(len(REGIONS), size=int(rng.integers(1, 3)), replace=False):
            subscriptions.append((chat_id, "region", REGIONS[int(region)], created))
        if rng.random() < 0.5:
            topic = TOPIC_SLUGS[int(rng.integers(0, len(TOPIC_SLUGS)))]
            subscriptions.append((chat_id, "topic", topic, created))
        before = stamp(due - timedelta(days=1))
        deliveries.append(
            (chat_id, before, "scheduled", "sent", watermark - 3_000, watermark, "[]", 1,
             "[1]", before, before, before)
        )  # fmt: skip
    connection.executemany(
        "INSERT INTO chat (id, type, title, language, timezone, digest_time, frequency, paused, "
        "blocked, no_news_note, next_due_at, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        chats,
    )
    connection.executemany(
        "INSERT INTO subscription (chat_id, kind, value, created_at) VALUES (?, ?, ?, ?)",
        subscriptions,
    )
    connection.executemany(
        "INSERT INTO delivery (chat_id, due_at, kind, status, window_start_id, window_end_id, "
        "item_article_ids, parts_total, message_ids, claimed_at, first_sent_at, finished_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        deliveries,
    )


ARTICLE_COLUMNS = (
    "id", "source_id", "canonical_url", "source_url", "site_name", "title", "raw_title", "body",
    "summary", "language", "content_hash", "published_at", "published_precision", "ingested_at",
    "updated_at", "cluster_id",
)  # fmt: skip


def bench_words() -> np.ndarray:
    """The big databases' words, most frequent first (Zipf weights follow this order)."""
    return _vocabulary(np.random.default_rng(20250602))


async def ensure_big_postgres(url: str, *, log: bool = True) -> float:
    """Fill the PostgreSQL database at `url` (empty, or filled by an earlier run) with the
    ARTICLES articles; seconds spent (0 when they were already there)."""
    await _migrate(url)
    connection = await asyncpg.connect(
        make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    )
    try:
        present = await connection.fetchval("SELECT count(*) FROM article")
        if present == ARTICLES:
            return 0.0
        if present:
            raise SystemExit(f"{present:,} articles in the PostgreSQL database: give an empty one")
        started = time.perf_counter()
        await _copy_articles(connection, log=log)
        return round(time.perf_counter() - started, 1)
    finally:
        await connection.close()


async def _copy_articles(connection: asyncpg.Connection, *, log: bool) -> None:
    """COPY the articles (their search_vector computed on the way in), then index them."""
    rng = np.random.default_rng(20250602)
    words = _vocabulary(rng)
    await connection.execute(
        "INSERT INTO source (id, kind, url, name, poll_minutes, enabled, consecutive_failures, "
        "created_at) VALUES (1, 'feed', 'https://bench.example.kz/rss', 'bench', 60, true, 0, $1)",
        BENCH_NOW - timedelta(days=ARTICLE_DAYS),
    )
    await connection.execute("DROP INDEX ix_article_search")
    started = time.perf_counter()
    for start in range(1, ARTICLES + 1, BATCH):
        count = min(BATCH, ARTICLES + 1 - start)
        rows = _article_rows(rng, words, start, count, when=lambda instant: instant)
        await connection.copy_records_to_table("article", records=rows, columns=ARTICLE_COLUMNS)
        # The draws SQLite's build makes for regions and topics, so the texts stay the same.
        rng.integers(0, len(REGIONS), size=(count, 2))
        rng.integers(0, len(TOPIC_SLUGS), size=(count, 2))
        rng.random(count), rng.random(count)
        if log:
            done, elapsed = start + count - 1, time.perf_counter() - started
            print(f"big_db: {done:,} articles in PostgreSQL in {elapsed:.0f} s", file=sys.stderr)
    await connection.execute("SET maintenance_work_mem = '512MB'")
    await connection.execute("CREATE INDEX ix_article_search ON article USING gin (search_vector)")
    await connection.execute("SELECT setval('article_id_seq', $1)", ARTICLES)
    await connection.execute("VACUUM ANALYZE article")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--postgres", metavar="URL", help="also fill this PostgreSQL database")
    args = parser.parse_args(argv)
    info = ensure_big_db(rebuild=args.rebuild)
    size = Path(info.path).stat().st_size / 2**20
    print(f"{info.path}: {size:,.0f} MiB, built in {info.build_seconds} s")
    if args.postgres:
        seconds = asyncio.run(ensure_big_postgres(args.postgres))
        print(f"{ARTICLES:,} articles in PostgreSQL, filled in {seconds} s")


if __name__ == "__main__":
    main()
