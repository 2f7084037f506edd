"""The `urgent` label of `newsdigest eval`: optional, scored as precision and recall."""

from __future__ import annotations

import json

import pytest

from bot.domain.evaluation import GoldLabel, Prediction, parse_labels, score


def _gold(index: int, urgent: bool | None) -> GoldLabel:
    title = f"Title {index} 08.12.2025"
    return GoldLabel("a.txt", index, title, ("karaganda",), ("utilities",), "ru", None, urgent)


def _pred(index: int, urgent: bool) -> Prediction:
    return Prediction("a.txt", index, ("karaganda",), ("utilities",), "ru", urgent=urgent)


def test_urgent_precision_and_recall_by_hand() -> None:
    labels = [_gold(0, True), _gold(1, True), _gold(2, False), _gold(3, False), _gold(4, None)]
    # 0: found; 1: missed; 2: a false alert; 3: rightly quiet; 4: not labelled, not scored
    predictions = [_pred(0, True), _pred(1, False), _pred(2, True), _pred(3, False), _pred(4, True)]
    report = score(labels, predictions)
    assert report["urgent"] == {"precision": 0.5, "recall": 0.5, "labelled": 4}
    errors = [(e["index"], e["expected"], e["got"]) for e in report["errors"]]
    assert errors == [(1, True, False), (2, False, True)]


def test_unlabelled_articles_are_not_scored() -> None:
    report = score([_gold(0, None)], [_pred(0, True)])
    assert report["urgent"] == {"precision": 1.0, "recall": 1.0, "labelled": 0}
    assert report["errors"] == []


def _entry(**extra: object) -> str:
    entry = {
        "file": "a.txt",
        "index": 0,
        "title_line": "Title 08.12.2025",
        "regions": ["karaganda"],
        "topics": ["utilities"],
        "lang": "ru",
    }
    return json.dumps([entry | extra])


def test_the_label_is_optional_and_boolean() -> None:
    assert parse_labels(_entry())[0].urgent is None
    assert parse_labels(_entry(urgent=True))[0].urgent is True
    with pytest.raises(ValueError, match="'urgent' must be true, false or absent"):
        parse_labels(_entry(urgent="yes"))
