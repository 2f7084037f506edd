"""Scoring tagger output against a hand-labelled development set (`newsdigest eval`).

Regions and topics are micro-averaged over (article, label) pairs; duplicates are scored over
unordered pairs of articles that share a cluster; urgency (an optional `urgent` label) by the
precision and recall of the articles found urgent. Only labelled articles are scored.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any, Final

from bot.domain.taxonomy import LANGUAGES, NATIONAL, REGION_SLUGS, TOPIC_SLUGS

MAX_TOPICS: Final = 3
_DIGITS: Final = 4

ArticleKey = tuple[str, int]


@dataclass(frozen=True, slots=True)
class GoldLabel:
    """What a careful editor says about one article of a corpus file."""

    file: str
    index: int
    title_line: str
    regions: tuple[str, ...]
    topics: tuple[str, ...]
    lang: str
    duplicate_of: ArticleKey | None = None
    urgent: bool | None = None  # None: not labelled, not scored

    @property
    def key(self) -> ArticleKey:
        return (self.file, self.index)


@dataclass(frozen=True, slots=True)
class Prediction:
    """What the taggers said; `cluster_id` is shared by near-duplicates, None for a loner."""

    file: str
    index: int
    regions: tuple[str, ...]
    topics: tuple[str, ...]
    lang: str
    cluster_id: str | int | None = None
    urgent: bool = False

    @property
    def key(self) -> ArticleKey:
        return (self.file, self.index)


def parse_labels(json_text: str) -> list[GoldLabel]:
    """Read and validate a label file; a ValueError names the offending entry."""
    try:
        data = json.loads(json_text)
    except json.JSONDecodeError as error:
        raise ValueError(f"labels are not valid JSON: {error}") from error
    if not isinstance(data, list):
        raise ValueError("labels must be a JSON list of objects")
    labels = [_parse_entry(position, entry) for position, entry in enumerate(data)]
    _check_keys(labels)
    return labels


def _parse_entry(position: int, entry: object) -> GoldLabel:
    where = f"label entry {position}"
    if not isinstance(entry, dict):
        raise ValueError(f"{where}: expected an object, got {type(entry).__name__}")
    file, index = _ref(entry, where)
    where = f"{where} ({file}#{index})"
    title_line = entry.get("title_line")
    if not isinstance(title_line, str) or not title_line.strip():
        raise ValueError(f"{where}: 'title_line' must be a non-empty string")
    regions = _slugs(entry, "regions", REGION_SLUGS, where)
    if NATIONAL in regions and len(regions) > 1:
        raise ValueError(f"{where}: 'national' cannot stand beside a region")
    topics = _slugs(entry, "topics", TOPIC_SLUGS, where)
    if len(topics) > MAX_TOPICS:
        raise ValueError(f"{where}: at most {MAX_TOPICS} topics, got {len(topics)}")
    lang = entry.get("lang")
    if lang not in LANGUAGES:
        raise ValueError(f"{where}: 'lang' must be one of {', '.join(LANGUAGES)}, got {lang!r}")
    raw_duplicate = entry.get("duplicate_of")
    duplicate_of = None
    if raw_duplicate is not None:
        if not isinstance(raw_duplicate, dict):
            raise ValueError(f"{where}: 'duplicate_of' must be null or {{file, index}}")
        duplicate_of = _ref(raw_duplicate, f"{where} duplicate_of")
    urgent = entry.get("urgent")
    if urgent is not None and not isinstance(urgent, bool):
        raise ValueError(f"{where}: 'urgent' must be true, false or absent, got {urgent!r}")
    return GoldLabel(file, index, title_line, regions, topics, str(lang), duplicate_of, urgent)


def _ref(entry: Mapping[str, Any], where: str) -> ArticleKey:
    file, index = entry.get("file"), entry.get("index")
    if not isinstance(file, str) or not file:
        raise ValueError(f"{where}: 'file' must be a non-empty string")
    if not isinstance(index, int) or isinstance(index, bool) or index < 0:
        raise ValueError(f"{where}: 'index' must be a non-negative integer")
    return (file, index)


def _slugs(
    entry: Mapping[str, Any], field: str, known: Sequence[str], where: str
) -> tuple[str, ...]:
    values = entry.get(field)
    if not isinstance(values, list) or not values:
        raise ValueError(f"{where}: '{field}' must be a non-empty list")
    for value in values:
        if value not in known:
            raise ValueError(f"{where}: unknown {field[:-1]} slug {value!r}")
    if len(set(values)) != len(values):
        raise ValueError(f"{where}: repeated slug in '{field}'")
    return tuple(values)


def _check_keys(labels: Sequence[GoldLabel]) -> None:
    keys: set[ArticleKey] = set()
    for label in labels:
        if label.key in keys:
            raise ValueError(f"label {label.file}#{label.index}: article labelled twice")
        keys.add(label.key)
    for label in labels:
        target = label.duplicate_of
        if target == label.key:
            raise ValueError(f"label {label.file}#{label.index}: duplicate_of points to itself")
        if target is not None and target not in keys:
            raise ValueError(
                f"label {label.file}#{label.index}: duplicate_of {target[0]}#{target[1]} "
                "is not a labelled article"
            )


def score(gold: Sequence[GoldLabel], predictions: Sequence[Prediction]) -> dict[str, Any]:
    """The JSON-ready report of `newsdigest eval`; a labelled article nobody tagged counts as
    tagged with nothing."""
    by_key: dict[ArticleKey, Prediction] = {}
    for prediction in predictions:
        if prediction.key in by_key:
            raise ValueError(f"prediction {prediction.file}#{prediction.index} given twice")
        by_key[prediction.key] = prediction
    gold_by_key = {label.key: label for label in gold}
    got = {key: by_key.get(key, Prediction(key[0], key[1], (), (), "")) for key in gold_by_key}
    gold_groups = _gold_clusters(gold)
    got_groups = _predicted_clusters(got.values())
    return {
        "articles": len(predictions),
        "regions": _set_scores((label.regions, got[label.key].regions) for label in gold),
        "topics": _set_scores((label.topics, got[label.key].topics) for label in gold),
        "language": {"accuracy": _accuracy(gold, got)},
        "duplicates": _pair_scores(_pairs(gold_groups), _pairs(got_groups)),
        "urgent": _urgent_scores(gold, got),
        "errors": _errors(gold, got, _partners(gold_groups), _partners(got_groups)),
    }


def _ratio(hits: int, total: int) -> float:
    """hits/total, 1.0 when there is nothing to be right about."""
    return 1.0 if total == 0 else hits / total


def _set_scores(pairs: Iterable[tuple[Sequence[str], Sequence[str]]]) -> dict[str, float]:
    true_pos = false_pos = false_neg = 0
    for expected, predicted in pairs:
        want, have = set(expected), set(predicted)
        true_pos += len(want & have)
        false_pos += len(have - want)
        false_neg += len(want - have)
    precision = _ratio(true_pos, true_pos + false_pos)
    recall = _ratio(true_pos, true_pos + false_neg)
    both = precision + recall
    f1 = 0.0 if both == 0 else 2 * precision * recall / both
    return {
        "precision": round(precision, _DIGITS),
        "recall": round(recall, _DIGITS),
        "f1": round(f1, _DIGITS),
    }


def _accuracy(gold: Sequence[GoldLabel], got: Mapping[ArticleKey, Prediction]) -> float:
    right = sum(1 for label in gold if got[label.key].lang == label.lang)
    return round(_ratio(right, len(gold)), _DIGITS)


def _gold_clusters(gold: Sequence[GoldLabel]) -> list[list[ArticleKey]]:
    """Close duplicate_of links transitively (union-find) into clusters of two or more."""
    parent: dict[ArticleKey, ArticleKey] = {label.key: label.key for label in gold}

    def root(key: ArticleKey) -> ArticleKey:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for label in gold:
        if label.duplicate_of is not None and label.duplicate_of in parent:
            parent[root(label.key)] = root(label.duplicate_of)
    groups: dict[ArticleKey, list[ArticleKey]] = defaultdict(list)
    for label in gold:
        groups[root(label.key)].append(label.key)
    return [members for members in groups.values() if len(members) > 1]


def _predicted_clusters(predictions: Iterable[Prediction]) -> list[list[ArticleKey]]:
    groups: dict[str | int, list[ArticleKey]] = defaultdict(list)
    for prediction in predictions:
        if prediction.cluster_id is not None:
            groups[prediction.cluster_id].append(prediction.key)
    return [members for members in groups.values() if len(members) > 1]


def _pairs(clusters: Iterable[list[ArticleKey]]) -> set[frozenset[ArticleKey]]:
    return {frozenset(pair) for members in clusters for pair in combinations(members, 2)}


def _pair_scores(
    gold_pairs: set[frozenset[ArticleKey]], got_pairs: set[frozenset[ArticleKey]]
) -> dict[str, float]:
    hits = len(gold_pairs & got_pairs)
    return {
        "precision": round(_ratio(hits, len(got_pairs)), _DIGITS),
        "recall": round(_ratio(hits, len(gold_pairs)), _DIGITS),
    }


def _urgent_scores(
    gold: Sequence[GoldLabel], got: Mapping[ArticleKey, Prediction]
) -> dict[str, float | int]:
    """Precision and recall of the articles found urgent, over those labelled either way."""
    scored = [(label.urgent, got[label.key].urgent) for label in gold if label.urgent is not None]
    hits = sum(1 for want, have in scored if want and have)
    found = sum(1 for _, have in scored if have)
    wanted = sum(1 for want, _ in scored if want)
    return {
        "precision": round(_ratio(hits, found), _DIGITS),
        "recall": round(_ratio(hits, wanted), _DIGITS),
        "labelled": len(scored),
    }


def _partners(clusters: Iterable[list[ArticleKey]]) -> dict[ArticleKey, list[ArticleKey]]:
    return {
        key: sorted(other for other in members if other != key)
        for members in clusters
        for key in members
    }


def _errors(
    gold: Sequence[GoldLabel],
    got: Mapping[ArticleKey, Prediction],
    gold_partners: Mapping[ArticleKey, list[ArticleKey]],
    got_partners: Mapping[ArticleKey, list[ArticleKey]],
) -> list[dict[str, Any]]:
    errors: list[dict[str, Any]] = []
    for label in gold:
        prediction = got[label.key]
        where = {"file": label.file, "index": label.index}
        if set(label.regions) != set(prediction.regions):
            errors.append(where | _diff("regions", list(label.regions), list(prediction.regions)))
        if set(label.topics) != set(prediction.topics):
            errors.append(where | _diff("topics", list(label.topics), list(prediction.topics)))
        if label.lang != prediction.lang:
            errors.append(where | _diff("lang", label.lang, prediction.lang))
        if label.urgent is not None and label.urgent != prediction.urgent:
            errors.append(where | _diff("urgent", label.urgent, prediction.urgent))
        want, have = gold_partners.get(label.key, []), got_partners.get(label.key, [])
        if want != have:
            errors.append(where | _diff("duplicates", _refs(want), _refs(have)))
    return errors


def _diff(field: str, expected: object, found: object) -> dict[str, Any]:
    return {"field": field, "expected": expected, "got": found}


def _refs(keys: Iterable[ArticleKey]) -> list[dict[str, Any]]:
    return [{"file": file, "index": index} for file, index in keys]
