"""`newsdigest eval --labels LABELS.json CORPUS_FILE...`: tagging measured against gold labels."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.commands.common import UsageError, load_tagger
from bot.domain.dedup import ClusterIndex
from bot.domain.evaluation import Prediction, parse_labels, score
from bot.domain.normalise import clean_entry
from bot.domain.signing import sign_many
from bot.ingest.prepare import start_of_local_day
from bot.ingest.seed_files import UnreadableFile, read_seed_file

# Articles of the corpus without a date count as published on this day (the dev set's week).
UNDATED = date(2025, 1, 13)
# Dated articles count as published when their day begins where the dev set's sites write.
ZONE = ZoneInfo("Asia/Almaty")


def eval_command(labels_path: Path, corpus: Sequence[Path]) -> int:
    """Tag every article of the corpus and print one JSON report on stdout."""
    try:
        gold = parse_labels(labels_path.read_text(encoding="utf-8"))
    except OSError as error:
        raise UsageError(f"cannot read {labels_path}: {error.strerror}") from None
    except ValueError as error:
        raise UsageError(f"{labels_path}: {error}") from None
    predictions = predict(corpus)
    print(json.dumps(score(gold, predictions), ensure_ascii=False))
    return 0


def predict(corpus: Sequence[Path]) -> list[Prediction]:
    """Regions, topics, language, near-duplicate cluster and urgency of every article of the
    corpus."""
    tagger = load_tagger()
    clusters = ClusterIndex()
    predictions: list[Prediction] = []
    for path in corpus:
        page = read_seed_file(path)
        if isinstance(page, UnreadableFile):
            raise UsageError(f"cannot read {path}: {page.detail}")
        articles = [clean_entry(entry, site=page.site_name) for entry in page.entries]
        published = [article.published_on or UNDATED for article in articles]
        signed = sign_many(tagger, articles, published)
        for entry, article, one in zip(page.entries, articles, signed, strict=True):
            cluster = clusters.add(len(predictions), one.signature, one.facts)
            predictions.append(
                Prediction(
                    file=path.name,
                    index=entry.index,
                    regions=one.tags.regions.labels,
                    topics=one.tags.topics.labels,
                    lang=article.language,
                    cluster_id=cluster,
                    urgent=tagger.urgent(
                        title=article.title,
                        body=article.body,
                        published=start_of_local_day(article.published_on or UNDATED, ZONE),
                    )
                    is not None,
                )
            )
    return predictions
