"""Tag and cluster 100,000 generated articles on one core: language, regions, topics, dedup.

Target: at least 2,000 articles per second (at most 500 µs per article, clustering included,
with 100,000 articles in the index) on one core of a 2-core machine. Articles go through the
steps as ingest takes them (`signing.sign_many`): read in batches, each batch one step at a
time, story facts included. Text repair (`clean_entry`) belongs to ingest and is timed apart. Run:
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
from dataclasses import dataclass, field  # noqa: E402
from datetime import UTC, date, datetime  # noqa: E402
from itertools import pairwise  # noqa: E402
from pathlib import Path  # noqa: E402

from bot.domain.articles import CleanArticle  # noqa: E402
from bot.domain.dedup import ClusterIndex, article_signature  # noqa: E402
from bot.domain.language import detect_language  # noqa: E402
from bot.domain.normalise import clean_entry  # noqa: E402
from bot.domain.reading import ArticleWords  # noqa: E402
from bot.domain.regions import tag_regions  # noqa: E402
from bot.domain.story_facts import extract_facts  # noqa: E402
from bot.domain.tagging import Tagger  # noqa: E402
from bot.domain.topics import tag_topics  # noqa: E402
from bot.ingest.gc_tuning import tune_after_loading  # noqa: E402
from bot.reference_data import load_gazetteer  # noqa: E402
from bot.topic_data import bundled_topic_lexicon  # noqa: E402
from tests.benchmarks.tagging_corpus import Corpus  # noqa: E402

ARTICLES = 100_000
CHUNK = 2_000
TARGET_PER_SECOND = 2_000
DAY = date(2025, 1, 13)  # the generated articles' publication day (fact keys use a window)
BENCHMARKS = Path(__file__).resolve().parents[2] / "BENCHMARKS.md"
STAGES = ("read", "language", "regions", "topics", "signature", "facts", "cluster")
# The machine may be shared: the headline figure is CPU time (time.process_time), which waiting
# for a core does not inflate; stages are timed on the wall clock, which is cheaper to read.


def tag_and_cluster(
    articles: list[CleanArticle],
    texts: list[ArticleWords],
    first_id: int,
    tagger: Tagger,
    index: ClusterIndex,
    seconds: list[float],
) -> list[int]:
    """What ingest does with a batch of articles read together (`sign_many`: each step
    for the whole batch in turn), then `ClusterIndex.add`; adds each step's wall time to
    `seconds` (in `STAGES` order, reading aside) and returns the articles' cluster ids.

    Ingest detects the language inside `clean_entry`; it is timed here on the same texts.
    """
    pairs = list(zip(articles, texts, strict=True))
    t1 = time.perf_counter()
    for article in articles:
        detect_language(f"{article.title}\n{article.body}")
    t2 = time.perf_counter()
    regions = [
        tag_regions(
            tagger.gazetteer,
            title=article.title,
            body=article.body,
            source_url=article.source_url,
            text=text,
        )
        for article, text in pairs
    ]
    t3 = time.perf_counter()
    for article, text in pairs:
        tag_topics(tagger.lexicon, title=article.title, body=article.body, text=text)
    t4 = time.perf_counter()
    signatures = [article_signature(text) for text in texts]
    t5 = time.perf_counter()
    facts = [
        extract_facts(text, gazetteer=tagger.gazetteer, regions=found.labels, published=DAY)
        for text, found in zip(texts, regions, strict=True)
    ]
    t6 = time.perf_counter()
    clusters = [
        index.add(first_id + k, sig, fact)
        for k, (sig, fact) in enumerate(zip(signatures, facts, strict=True))
    ]
    t7 = time.perf_counter()
    for stage, (start, end) in enumerate(pairwise((t1, t2, t3, t4, t5, t6, t7)), start=1):
        seconds[stage] += end - start
    return clusters


@dataclass
class Totals:
    """CPU and wall seconds of repair and of tag + cluster, and what was done."""

    stages: list[float] = field(default_factory=lambda: [0.0] * len(STAGES))
    repair_cpu: float = 0.0
    repair_wall: float = 0.0
    tag_cpu: float = 0.0
    tag_wall: float = 0.0
    articles: int = 0
    words: int = 0
    stories: list[int] = field(default_factory=list)
    clusters: list[int] = field(default_factory=list)


def run(count: int) -> Totals:
    """Generate `count` articles in batches (untimed), repair each batch, then tag and cluster."""
    tagger = Tagger(gazetteer=load_gazetteer(), lexicon=bundled_topic_lexicon())
    tune_after_loading()  # as the ingest workers do (bot.ingest.source_parsing.worker_tagger)
    corpus = Corpus(seed=20250113)
    index = ClusterIndex()
    totals = Totals()
    while totals.articles < count:
        batch = list(corpus.articles(min(CHUNK, count - totals.articles)))
        cpu, wall = time.process_time(), time.perf_counter()
        clean = [clean_entry(article.entry, site=article.site) for article in batch]
        totals.repair_cpu += time.process_time() - cpu
        totals.repair_wall += time.perf_counter() - wall
        cpu, wall = time.process_time(), time.perf_counter()
        batches = tagger.read_batches((article.title, article.body) for article in clean)
        done = 0
        while done < len(clean):
            start = time.perf_counter()
            texts = next(batches)
            totals.stages[0] += time.perf_counter() - start
            read = clean[done : done + len(texts)]
            totals.clusters += tag_and_cluster(
                read, texts, totals.articles, tagger, index, totals.stages
            )
            totals.articles += len(texts)
            done += len(texts)
        totals.tag_cpu += time.process_time() - cpu
        totals.tag_wall += time.perf_counter() - wall
        totals.stories += [article.story for article in batch]
        totals.words += sum(len(article.body.split()) for article in clean)
    return totals


def main(argv: list[str] | None = None) -> None:
    """Print the figures; append them to BENCHMARKS.md unless `--no-record`."""
    parser = argparse.ArgumentParser(prog="bench_tagging")
    parser.add_argument("--articles", type=int, default=ARTICLES)
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args(argv)
    cpu = _pin_to_one_cpu()
    lines = _report(run(args.articles), cpu)
    print("\n".join(lines))
    if not args.no_record:
        _append(lines, args.articles)


def _report(totals: Totals, cpu: int | None) -> list[str]:
    count = totals.articles
    stories, clusters = totals.stories, totals.clusters
    planted = [i for i in range(count) if stories[i] != i]
    found = sum(1 for i in planted if stories[clusters[i]] == stories[i] and clusters[i] != i)
    wrong = sum(1 for i in range(count) if stories[clusters[i]] != stories[i])
    per_second = count / totals.tag_cpu
    return [
        f"articles: {count} ({totals.words / count:.0f} words on average, en/ru/kk), "
        f"one core (pinned to CPU {cpu}), BLAS threads 1",
        f"tag + cluster: {per_second:,.0f} articles/s = {totals.tag_cpu / count * 1e6:.0f} µs "
        f"CPU per article (target ≥ {TARGET_PER_SECOND:,}/s); wall "
        f"{totals.tag_wall / count * 1e6:.0f} µs per article, {totals.tag_wall:.1f} s in all",
        "per stage (wall µs per article): "
        + ", ".join(
            f"{stage} {seconds / count * 1e6:.0f}"
            for stage, seconds in zip(STAGES, totals.stages, strict=True)
        ),
        f"text repair (clean_entry, part of ingest, not counted above): "
        f"{totals.repair_cpu / count * 1e6:.0f} µs CPU per article",
        f"planted near-duplicates clustered with their story: {found}/{len(planted)}; "
        f"articles clustered with another story: {wrong}",
    ]


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
