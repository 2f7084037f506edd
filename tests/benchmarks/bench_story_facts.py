"""What story facts cost per article: reading them, and clustering with them, on one core.

The generated corpus of bench_tagging (tests/benchmarks/tagging_corpus.py) is read and tagged as
ingest does (untimed here: bench_tagging times it); then, each timed on its own in CPU time, the
story facts are extracted, the signature BLOB with its facts is encoded and decoded, and the
articles are clustered twice, into an index without facts (as before them) and into one with
them. Target: facts + their share of clustering at most ~60 µs per article. The generated
articles are twice as long as the dev set's and hold twice as many figures (about 20), so this
is an upper bound for real news. Run:
    .venv/bin/python -m tests.benchmarks.bench_story_facts [--articles N]
"""

from __future__ import annotations

import os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import argparse  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from datetime import date  # noqa: E402

from bot.domain import story_record  # noqa: E402
from bot.domain.dedup import ClusterIndex, article_signature  # noqa: E402
from bot.domain.normalise import clean_entry  # noqa: E402
from bot.domain.story_facts import extract_facts  # noqa: E402
from bot.domain.tagging import Tagger  # noqa: E402
from bot.reference_data import load_gazetteer  # noqa: E402
from bot.topic_data import bundled_topic_lexicon  # noqa: E402
from tests.benchmarks.tagging_corpus import Corpus  # noqa: E402

ARTICLES = 20_000
CHUNK = 2_000
STAGES = ("facts", "record", "cluster without facts", "cluster with facts")


@dataclass
class Totals:
    """CPU seconds per stage, and how many articles went through."""

    seconds: dict[str, float] = field(default_factory=lambda: dict.fromkeys(STAGES, 0.0))
    articles: int = 0
    merged_by_facts: int = 0


def run(count: int) -> Totals:
    """Generate, read and tag `count` articles (untimed), then time the story-fact stages."""
    tagger = Tagger(gazetteer=load_gazetteer(), lexicon=bundled_topic_lexicon())
    corpus = Corpus(seed=20250113)
    plain, with_facts = ClusterIndex(), ClusterIndex()
    totals = Totals()
    published = date(2025, 1, 13)
    while totals.articles < count:
        batch = list(corpus.articles(min(CHUNK, count - totals.articles)))
        clean = [clean_entry(article.entry, site=article.site) for article in batch]
        offset = 0
        for texts in tagger.read_batches((article.title, article.body) for article in clean):
            tags = tagger.tag_batch(clean[offset : offset + len(texts)], texts)
            offset += len(texts)
            signatures = [article_signature(text) for text in texts]
            first = totals.articles
            start = time.process_time()
            facts = [
                extract_facts(
                    text,
                    gazetteer=tagger.gazetteer,
                    regions=tag.regions.labels,
                    published=published,
                )
                for text, tag in zip(texts, tags, strict=True)
            ]
            middle = time.process_time()
            for sig, fact in zip(signatures, facts, strict=True):
                story_record.decode(story_record.encode(sig, fact))
            record = time.process_time()
            without = [plain.add(first + k, sig) for k, sig in enumerate(signatures)]
            done = time.process_time()
            found = [
                with_facts.add(first + k, sig, fact)
                for k, (sig, fact) in enumerate(zip(signatures, facts, strict=True))
            ]
            end = time.process_time()
            for stage, seconds in zip(
                STAGES, (middle - start, record - middle, done - record, end - done), strict=True
            ):
                totals.seconds[stage] += seconds
            totals.merged_by_facts += sum(a != b for a, b in zip(without, found, strict=True))
            totals.articles += len(texts)
    return totals


def main(argv: list[str] | None = None) -> None:
    """Print µs per article for each stage."""
    parser = argparse.ArgumentParser(prog="bench_story_facts")
    parser.add_argument("--articles", type=int, default=ARTICLES)
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    totals = run(args.articles)
    per = {stage: seconds / totals.articles * 1e6 for stage, seconds in totals.seconds.items()}
    added = per["facts"] + per["cluster with facts"] - per["cluster without facts"]
    print(f"articles: {totals.articles}; CPU µs per article (time.process_time: the machine")
    print("may be shared, and waiting for a core does not count):")
    print(", ".join(f"{stage} {value:.0f}" for stage, value in per.items()))
    print(f"story facts add {added:.0f} µs per article (facts + clustering with them - without)")
    print(f"articles clustered differently with facts: {totals.merged_by_facts}")


if __name__ == "__main__":
    main()
