"""Full-text search at 1,000,000 articles: the p95 of one search, on SQLite and on PostgreSQL.

The articles are big_db's (about 1 KB each, 125 Zipf-distributed words of 5,000): the commonest
word is in nearly every article, the 100th in about one in eight, the 3,000th in a few hundred.
Timed: the search box (`ranked_ids`, best ten) and a digest keyword (`matching_ids` over the
last day's articles), each word RUNS times after WARM_UPS. Target: p95 under 50 ms for the
common word, on either backend. PostgreSQL runs when --postgres (or BENCH_POSTGRES_URL) names
a database: an empty one is filled once (several minutes), a filled one is reused. Run:
    .venv/bin/python -m tests.benchmarks.bench_search [--postgres URL] [--no-record]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from collections.abc import Awaitable, Callable

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from storage.engine import create_database
from storage.queries.search import matching_ids, ranked_ids
from tests.benchmarks.big_db import (
    ARTICLE_DAYS,
    ARTICLES,
    bench_words,
    ensure_big_db,
    ensure_big_postgres,
)
from tests.benchmarks.report import append_section

TARGET_MS = 50.0
RUNS = 40
WARM_UPS = 3
RANKS = (1, 100, 3_000)  # the commonest word, a middling one, a rare one
WORDS_PER_ARTICLE = 125
DAY_START = ARTICLES - ARTICLES // ARTICLE_DAYS  # the id before the last day's articles


def share(rank: int, size: int) -> float:
    """The expected share of articles holding the word of this Zipf rank."""
    weight = (1.0 / rank) / float(np.sum(1.0 / np.arange(1, size + 1)))
    return 1.0 - (1.0 - weight) ** WORDS_PER_ARTICLE


async def timings(
    session: AsyncSession, search: Callable[[AsyncSession], Awaitable[list[int]]]
) -> list[float]:
    """Milliseconds per search, after warm-ups (the pages the index needs are cached)."""
    for _ in range(WARM_UPS):
        await search(session)
    found: list[float] = []
    for _ in range(RUNS):
        started = time.perf_counter()
        await search(session)
        found.append((time.perf_counter() - started) * 1000)
    return found


def figure(name: str, values: list[float]) -> str:
    p95 = statistics.quantiles(values, n=20)[18]
    verdict = "met" if p95 < TARGET_MS else "MISSED"
    return (
        f"{name}: p50 {statistics.median(values):.1f} ms, p95 {p95:.1f} ms, "
        f"max {max(values):.1f} ms (target p95 < {TARGET_MS:.0f} ms: {verdict})"
    )


async def measure(backend: str, url: str) -> list[str]:
    """One line per word and kind of search on the database at `url`."""
    words = bench_words()
    database = create_database(url)
    lines = []
    try:
        async with database.read() as session:
            for rank in RANKS:
                word = str(words[rank - 1])
                about = f"{backend}, '{word}' (rank {rank}, in ~{share(rank, len(words)):.1%})"
                box = await timings(session, lambda s, w=word: ranked_ids(s, words=w, limit=10))
                keyword = await timings(
                    session, lambda s, w=word: matching_ids(s, phrases=[w], after_id=DAY_START)
                )
                lines.append(f"- {about}, search box: {figure('ranked_ids', box)}")
                lines.append(f"- {about}, digest keyword: {figure('matching_ids', keyword)}")
    finally:
        await database.dispose()
    return lines


def main(argv: list[str] | None = None) -> None:
    """Print the figures; append them to BENCHMARKS.md unless `--no-record`."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES_URL", ""))
    parser.add_argument("--no-record", action="store_true")
    arguments = parser.parse_args(argv)
    info = ensure_big_db()
    lines = [f"- {info.articles:,} articles of ~1 KB; {RUNS} runs a search after {WARM_UPS}"]
    lines += asyncio.run(measure("SQLite", info.url))
    if arguments.postgres:
        filled = asyncio.run(ensure_big_postgres(arguments.postgres))
        if filled:
            lines.append(f"- PostgreSQL filled (COPY, then the GIN index) in {filled:.0f} s")
        lines += asyncio.run(measure("PostgreSQL", arguments.postgres))
    else:
        lines.append("- PostgreSQL: not run (no --postgres or BENCH_POSTGRES_URL)")
    print("\n".join(lines))
    if not arguments.no_record:
        append_section(
            "Full-text search at 1,000,000 articles",
            "python -m tests.benchmarks.bench_search --postgres URL",
            lines,
        )


if __name__ == "__main__":
    main()
