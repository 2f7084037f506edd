"""Tag and cluster 100,000 generated articles on one core: language, regions, topics, dedup.

Target: at least 2,000 articles per second (at most 500 µs per article, clustering included,
with 100,000 articles in the index) on one core of a 2-core machine. Text repair
(`clean_entry`) belongs to ingest and is timed apart. Run:
    .venv/bin/python -m tests.benchmarks.bench_tagging [--articles N] [--no-record]
"""

from __future__ import annotations

import os

# One core, honestly: no BLAS or OpenMP threads (set before numpy is first imported) and the
# process pinned to one CPU in `main`.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import argparse  # noqa: E402
import platform  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from datetime import UTC, datetime  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import TypeVar  # noqa: E402

from bot.domain.articles import CleanArticle  # noqa: E402
from bot.domain.dedup import ClusterIndex, article_signature  # noqa: E402
from bot.domain.language import detect_language  # noqa: E402
from bot.domain.normalise import clean_entry  # noqa: E402
from bot.domain.regions import tag_regions  # noqa: E402
from bot.domain.tagging import Tagger  # noqa: E402
from bot.domain.tokens import ArticleText  # noqa: E402
from bot.domain.topics import tag_topics  # noqa: E402
from bot.reference_data import load_gazetteer  # noqa: E402
from bot.topic_data import bundled_topic_lexicon  # noqa: E402
from tests.benchmarks.tagging_corpus import Article, Corpus  # noqa: E402

ARTICLES = 100_000
CHUNK = 2_000
TARGET_PER_SECOND = 2_000
BENCHMARKS = Path(__file__).resolve().parents[2] / "BENCHMARKS.md"
STAGES = ("split", "language", "regions", "topics", "signature", "cluster")

T = TypeVar("T")


class Timer:
    """Seconds spent per stage."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def run(self, stage: str, work: Callable[[], T]) -> T:
        started = time.perf_counter()
        result = work()
        self.seconds[stage] = self.seconds.get(stage, 0.0) + time.perf_counter() - started
        return result


def tag_and_cluster(
    article: CleanArticle, article_id: int, tagger: Tagger, index: ClusterIndex, timer: Timer
) -> int:
    """What ingest does after repair (`understanding.tag_and_sign`, then `ClusterIndex.add`),
    stage by stage; the article's cluster id.

    Ingest detects the language inside `clean_entry`; it is timed here on the same text.
    """
    title, body = article.title, article.body
    text = timer.run("split", lambda: ArticleText.of(title, body))
    timer.run("language", lambda: detect_language(f"{title}\n{body}"))
    timer.run(
        "regions",
        lambda: tag_regions(
            tagger.gazetteer, title=title, body=body, source_url=article.source_url, text=text
        ),
    )
    timer.run("topics", lambda: tag_topics(tagger.lexicon, title=title, body=body, text=text))
    sig = timer.run("signature", lambda: article_signature(text))
    return timer.run("cluster", lambda: index.add(article_id, sig))


def main(argv: list[str] | None = None) -> None:
    """Print the figures; append them to BENCHMARKS.md unless `--no-record`."""
    parser = argparse.ArgumentParser(prog="bench_tagging")
    parser.add_argument("--articles", type=int, default=ARTICLES)
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args(argv)
    cpu = _pin_to_one_cpu()
    tagger = Tagger(gazetteer=load_gazetteer(), lexicon=bundled_topic_lexicon())
    corpus = Corpus(seed=20250113)
    index = ClusterIndex()
    timer = Timer()
    stories: list[int] = []
    clusters: list[int] = []
    words = 0
    done = 0
    while done < args.articles:
        batch = list(corpus.articles(min(CHUNK, args.articles - done)))  # generated untimed
        for article in batch:
            clean = timer.run("repair", lambda a=article: _repair(a))  # type: ignore[misc]
            words += len(clean.body.split())
            clusters.append(tag_and_cluster(clean, done, tagger, index, timer))
            stories.append(article.story)
            done += 1
    lines = _report(timer.seconds, done, words, stories, clusters, cpu)
    print("\n".join(lines))
    if not args.no_record:
        _append(lines, done)


def _repair(article: Article) -> CleanArticle:
    return clean_entry(article.entry, site=article.site)


def _report(
    seconds: dict[str, float],
    count: int,
    words: int,
    stories: list[int],
    clusters: list[int],
    cpu: int | None,
) -> list[str]:
    total = sum(seconds[stage] for stage in STAGES)
    planted = [i for i in range(count) if stories[i] != i]
    found = sum(1 for i in planted if stories[clusters[i]] == stories[i] and clusters[i] != i)
    wrong = sum(1 for i in range(count) if stories[clusters[i]] != stories[i])
    lines = [
        f"articles: {count} ({words / count:.0f} words on average, en/ru/kk), "
        f"one core (pinned to CPU {cpu}), BLAS threads 1",
        f"tag + cluster: {count / total:,.0f} articles/s = {total / count * 1e6:.0f} µs per "
        f"article (target ≥ {TARGET_PER_SECOND:,}/s), {total:.1f} s in all",
        *(f"{stage}: {seconds[stage] / count * 1e6:.0f} µs per article" for stage in STAGES),
        f"text repair (clean_entry, ingest, not counted above): "
        f"{seconds['repair'] / count * 1e6:.0f} µs per article",
        f"planted near-duplicates clustered with their story: {found}/{len(planted)}; "
        f"articles clustered with another story: {wrong}",
    ]
    return lines


def _pin_to_one_cpu() -> int | None:
    if not hasattr(os, "sched_setaffinity"):
        return None
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return cpu


def _machine() -> str:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return f"{platform.machine()} {model or platform.processor()}".strip()


def _append(lines: list[str], count: int) -> None:
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    command = ".venv/bin/python -m tests.benchmarks.bench_tagging"
    if count != ARTICLES:
        command += f" --articles {count}"
    section = (
        f"\n## Tag + cluster — {stamp}\n\n"
        f"Machine: {_machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
        f" (load average {load}: the machine is shared)\n"
        f"Command: `{command}`\n\n" + "".join(f"- {line}\n" for line in lines)
    )
    if not BENCHMARKS.exists():
        BENCHMARKS.write_text("# Benchmarks\n", encoding="utf-8")
    with BENCHMARKS.open("a", encoding="utf-8") as file:
        file.write(section)


if __name__ == "__main__":
    main()
