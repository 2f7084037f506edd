"""Compose and render the digests of 100,000 chats over 2,000 new articles.

Chats with equal interests and language share one composition and one rendering, as the
delivery run does. Target: under 10 s on a 2-core machine. Run:
    .venv/bin/python -m tests.benchmarks.bench_digest
"""

from __future__ import annotations

import os
import platform
import random
import sys
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot.domain.digest import (
    DigestArticle,
    DigestRenderer,
    Interests,
    Rendered,
    build_window,
    compose,
)
from bot.domain.taxonomy import NATIONAL, REGION_SLUGS, TOPIC_SLUGS
from bot.domain.telegram_html import MAX_MESSAGE_UNITS, visible_len
from bot.i18n import default_translator

ARTICLES = 2_000
CHATS = 100_000
TARGET_SECONDS = 10.0
BENCHMARKS = Path(__file__).resolve().parents[2] / "BENCHMARKS.md"
DAY = date(2025, 1, 13)
START = datetime(2025, 1, 12, 6, tzinfo=UTC)

WORDS = {
    "en": "akimat region road school hospital farmers budget water heating new project opened "
    "repair investment tenge million jobs support flight digital service",
    "ru": "акимат область дорога школа больница фермеры бюджет вода отопление новый проект "
    "открыт ремонт инвестиции тенге миллион рабочие места поддержка рейс цифровой",
    "kk": "әкімдік облыс жол мектеп аурухана фермерлер бюджет су жылу жаңа жоба ашылды "
    "жөндеу инвестиция теңге миллион жұмыс орны қолдау рейс цифрлық",
}
SITES = ("https://www.gov.kz/memleket/entities/", "https://kaz.kz/", "https://inform.kz/")
PHRASES = tuple(f"phrase-{n}" for n in range(60))
REGIONS = tuple(slug for slug in REGION_SLUGS if slug != NATIONAL)
# Big cities publish and subscribe more.
REGION_WEIGHTS = tuple(6 if slug in ("almaty", "astana", "shymkent") else 1 for slug in REGIONS)


def make_articles(rng: random.Random) -> list[DigestArticle]:
    """Two thousand articles; about one in six belongs to a cluster of 2-4 language versions."""
    articles: list[DigestArticle] = []
    cluster = 0
    while len(articles) < ARTICLES:
        cluster += 1
        national = rng.random() < 0.1
        regions = (NATIONAL,) if national else tuple(set(_weighted(rng, rng.randint(1, 2))))
        topics = tuple(rng.sample(TOPIC_SLUGS, rng.randint(1, 3)))
        size = rng.choice((2, 3, 4)) if rng.random() < 0.16 else 1
        for _ in range(min(size, ARTICLES - len(articles))):
            language = rng.choice(("ru", "ru", "kk", "en"))
            words = WORDS[language].split()
            article_id = len(articles) + 1
            articles.append(
                DigestArticle(
                    id=article_id,
                    title=" ".join(rng.choices(words, k=rng.randint(5, 14))).capitalize(),
                    summary=" ".join(rng.choices(words, k=rng.randint(25, 60))) + ".",
                    source_url=f"{rng.choice(SITES)}news/{article_id}",
                    language=language,
                    published_at=START + timedelta(seconds=rng.randint(0, 86_400)),
                    regions=regions,
                    topics=topics,
                    cluster_id=cluster,
                )
            )
    return articles


def make_chats(rng: random.Random) -> list[tuple[Interests, str]]:
    """Most chats follow 1-3 regions, some add topics, a few keywords or exclusions."""
    chats = []
    for _ in range(CHATS):
        regions = list(dict.fromkeys(_weighted(rng, rng.choices((1, 2, 3), (60, 28, 12))[0])))
        if rng.random() < 0.05:
            regions.append(NATIONAL)
        topic_count = rng.choices((0, 1, 2, 3), (55, 25, 15, 5))[0]
        keyword_count = rng.choices((0, 1, 2), (85, 10, 5))[0]
        interests = Interests.of(
            regions=regions if rng.random() > 0.05 else (),
            topics=rng.sample(TOPIC_SLUGS, topic_count),
            keywords=rng.sample(PHRASES, keyword_count),
            excludes=rng.sample(PHRASES, 1) if rng.random() < 0.03 else (),
        )
        chats.append((interests, rng.choices(("ru", "kk", "en"), (55, 30, 15))[0]))
    return chats


def _weighted(rng: random.Random, count: int) -> list[str]:
    return rng.choices(REGIONS, REGION_WEIGHTS, k=count)


def main(argv: list[str] | None = None) -> None:
    """Print the figures; append them to BENCHMARKS.md unless `--no-record`."""
    record = "--no-record" not in (sys.argv[1:] if argv is None else argv)
    rng = random.Random(20250113)
    articles = make_articles(rng)
    chats = make_chats(rng)
    ids = [article.id for article in articles]
    hits = {phrase: frozenset(rng.sample(ids, rng.randint(5, 60))) for phrase in PHRASES}
    translator = default_translator()

    started = time.perf_counter()
    window = build_window(articles)
    renderers = {lang: DigestRenderer(translator.bind(lang), lang) for lang in ("en", "ru", "kk")}
    results: dict[tuple[Interests, str], Rendered] = {}
    per_chat: list[Rendered] = []
    for interests, language in chats:
        key = (interests, language)
        rendered = results.get(key)
        if rendered is None:
            digest = compose(window, interests, language, hits)
            rendered = renderers[language].render(digest, DAY)
            results[key] = rendered
        per_chat.append(rendered)
    elapsed = time.perf_counter() - started

    messages = Counter(len(rendered.messages) for rendered in per_chat)
    longest = max(visible_len(m) for rendered in results.values() for m in rendered.messages)
    assert longest <= MAX_MESSAGE_UNITS
    lines = [
        f"articles: {ARTICLES}, chats: {CHATS}, distinct (interests, language): {len(results)}",
        f"compose + render: {elapsed:.2f} s (target < {TARGET_SECONDS:.0f} s)"
        f" = {elapsed / CHATS * 1e6:.1f} µs per chat, "
        f"{elapsed / len(results) * 1e6:.0f} µs per distinct composition",
        "messages per chat: "
        + ", ".join(f"{count}: {chats}" for count, chats in sorted(messages.items())),
        f"longest message: {longest} UTF-16 units",
    ]
    print("\n".join(lines))
    if record:
        _append(lines)


def _append(lines: list[str]) -> None:
    machine = f"{platform.machine()} {platform.processor() or ''}".strip()
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    section = (
        f"\n## Digest compose + render — {stamp}\n\n"
        f"Machine: {machine}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
        f" (load average {load}: the machine is shared)\n"
        "Command: `.venv/bin/python -m tests.benchmarks.bench_digest`\n\n"
        + "".join(f"- {line}\n" for line in lines)
    )
    if not BENCHMARKS.exists():
        BENCHMARKS.write_text("# Benchmarks\n", encoding="utf-8")
    with BENCHMARKS.open("a", encoding="utf-8") as file:
        file.write(section)


if __name__ == "__main__":
    main()
