"""Metrics of `newsdigest eval`, checked against figures computed by hand."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.evaluation import GoldLabel, Prediction, parse_labels, score
from bot.domain.taxonomy import LANGUAGES, REGION_SLUGS, TOPIC_SLUGS


def gold(
    file: str,
    index: int,
    regions: tuple[str, ...] = ("karaganda",),
    topics: tuple[str, ...] = ("economy",),
    lang: str = "en",
    duplicate_of: tuple[str, int] | None = None,
) -> GoldLabel:
    return GoldLabel(file, index, f"Title {index} 13.01.2025", regions, topics, lang, duplicate_of)


def pred(
    file: str,
    index: int,
    regions: tuple[str, ...] = ("karaganda",),
    topics: tuple[str, ...] = ("economy",),
    lang: str = "en",
    cluster_id: str | int | None = None,
) -> Prediction:
    return Prediction(file, index, regions, topics, lang, cluster_id)


def test_micro_averaged_scores_by_hand() -> None:
    labels = [
        gold("a.txt", 0, ("karaganda",), ("economy", "digital"), "en"),
        gold("a.txt", 1, ("turkestan", "karaganda"), ("transport",), "ru"),
        gold("a.txt", 2, ("national",), ("governance",), "kk"),
    ]
    predictions = [
        pred("a.txt", 0, ("karaganda", "astana"), ("economy",), "en"),
        pred("a.txt", 1, ("turkestan",), ("transport", "culture"), "ru"),
        pred("a.txt", 2, ("national",), ("governance", "safety", "health"), "en"),
    ]
    report = score(labels, predictions)
    # regions: TP 3 (karaganda, turkestan, national), FP 1 (astana), FN 1 (karaganda in #1)
    assert report["regions"] == {"precision": 0.75, "recall": 0.75, "f1": 0.75}
    # topics: TP 3, FP 3 (culture, safety, health), FN 1 (digital): P 0.5, R 0.75, F1 0.6
    assert report["topics"] == {"precision": 0.5, "recall": 0.75, "f1": 0.6}
    assert report["language"] == {"accuracy": 0.6667}
    assert report["articles"] == 3


def test_label_order_does_not_matter_for_correctness() -> None:
    labels = [gold("a.txt", 0, ("turkestan", "karaganda"), ("transport", "culture"))]
    predictions = [pred("a.txt", 0, ("karaganda", "turkestan"), ("culture", "transport"))]
    report = score(labels, predictions)
    assert report["regions"]["f1"] == 1.0
    assert report["topics"]["f1"] == 1.0
    assert report["errors"] == []


def test_duplicate_links_close_transitively() -> None:
    labels = [
        gold("b.txt", 0),
        gold("c.txt", 0, duplicate_of=("b.txt", 0)),
        gold("d.txt", 0, duplicate_of=("c.txt", 0)),
        gold("b.txt", 1),
    ]
    # gold pairs: {b0,c0} {b0,d0} {c0,d0}; predicted pairs: {b0,c0} {d0,b1}
    predictions = [
        pred("b.txt", 0, cluster_id="x"),
        pred("c.txt", 0, cluster_id="x"),
        pred("d.txt", 0, cluster_id=7),
        pred("b.txt", 1, cluster_id=7),
    ]
    assert score(labels, predictions)["duplicates"] == {"precision": 0.5, "recall": 0.3333}


def test_no_predicted_pairs_means_perfect_precision() -> None:
    labels = [gold("b.txt", 0), gold("c.txt", 0, duplicate_of=("b.txt", 0))]
    predictions = [pred("b.txt", 0, cluster_id="x"), pred("c.txt", 0, cluster_id=None)]
    assert score(labels, predictions)["duplicates"] == {"precision": 1.0, "recall": 0.0}


def test_no_gold_pairs_means_perfect_recall() -> None:
    labels = [gold("b.txt", 0), gold("b.txt", 1)]
    predictions = [pred("b.txt", 0, cluster_id=1), pred("b.txt", 1, cluster_id=1)]
    assert score(labels, predictions)["duplicates"] == {"precision": 0.0, "recall": 1.0}


def test_unlabelled_articles_are_counted_but_not_scored() -> None:
    labels = [gold("b.txt", 0), gold("b.txt", 1)]
    predictions = [
        pred("b.txt", 0, cluster_id="x"),
        pred("b.txt", 1),
        pred("extra.txt", 0, ("astana",), ("health",), "kk", cluster_id="x"),
    ]
    report = score(labels, predictions)
    assert report["articles"] == 3
    assert report["regions"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert report["language"] == {"accuracy": 1.0}
    assert report["duplicates"] == {"precision": 1.0, "recall": 1.0}
    assert report["errors"] == []


def test_a_labelled_article_nobody_tagged_is_all_misses() -> None:
    report = score([gold("a.txt", 0), gold("a.txt", 1)], [pred("a.txt", 0)])
    assert report["articles"] == 1
    assert report["regions"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667}
    assert {error["field"] for error in report["errors"]} == {"regions", "topics", "lang"}


def test_errors_list_every_wrong_field() -> None:
    labels = [
        gold("a.txt", 0, ("karaganda",), ("economy",), "en"),
        gold("a.txt", 1, ("almaty",), ("transport", "construction"), "ru"),
        gold("b.txt", 0, ("almaty",), ("transport",), "ru", duplicate_of=("a.txt", 1)),
    ]
    predictions = [
        pred("a.txt", 0, ("karaganda",), ("economy",), "en", cluster_id="k"),
        pred("a.txt", 1, ("almaty-region",), ("construction", "transport"), "kk", "k"),
        pred("b.txt", 0, ("almaty",), ("transport",), "ru"),
    ]
    assert score(labels, predictions)["errors"] == [
        {
            "file": "a.txt",
            "index": 0,
            "field": "duplicates",
            "expected": [],
            "got": [{"file": "a.txt", "index": 1}],
        },
        {
            "file": "a.txt",
            "index": 1,
            "field": "regions",
            "expected": ["almaty"],
            "got": ["almaty-region"],
        },
        {"file": "a.txt", "index": 1, "field": "lang", "expected": "ru", "got": "kk"},
        {
            "file": "a.txt",
            "index": 1,
            "field": "duplicates",
            "expected": [{"file": "b.txt", "index": 0}],
            "got": [{"file": "a.txt", "index": 0}],
        },
        {
            "file": "b.txt",
            "index": 0,
            "field": "duplicates",
            "expected": [{"file": "a.txt", "index": 1}],
            "got": [],
        },
    ]


def test_the_same_article_predicted_twice_is_refused() -> None:
    with pytest.raises(ValueError, match=r"a\.txt#0"):
        score([gold("a.txt", 0)], [pred("a.txt", 0), pred("a.txt", 0)])


def entry(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "file": "dev-en.txt",
        "index": 0,
        "title_line": "Roads repaired 13.01.2025",
        "regions": ["karaganda"],
        "topics": ["transport"],
        "lang": "en",
        "duplicate_of": None,
    }
    return base | changes


def test_parse_labels_reads_a_valid_file() -> None:
    text = json.dumps(
        [
            entry(),
            entry(
                file="dev-ru.txt",
                regions=["turkestan", "karaganda"],
                topics=["transport", "culture", "economy"],
                lang="ru",
                duplicate_of={"file": "dev-en.txt", "index": 0},
            ),
        ]
    )
    first, second = parse_labels(text)
    assert first == GoldLabel(
        "dev-en.txt", 0, "Roads repaired 13.01.2025", ("karaganda",), ("transport",), "en", None
    )
    assert second.regions == ("turkestan", "karaganda")
    assert second.duplicate_of == ("dev-en.txt", 0)


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ([entry(regions=["karagandy"])], r"entry 0 \(dev-en\.txt#0\): unknown region slug"),
        ([entry(topics=["sports"])], r"unknown topic slug 'sports'"),
        ([entry(regions=["national", "astana"])], r"'national' cannot stand beside"),
        ([entry(regions=[])], r"'regions' must be a non-empty list"),
        ([entry(topics=[])], r"'topics' must be a non-empty list"),
        ([entry(topics=["economy", "social", "digital", "health"])], r"at most 3 topics"),
        ([entry(topics=["economy", "economy"])], r"repeated slug"),
        ([entry(lang="de")], r"'lang' must be one of"),
        ([entry(index=-1)], r"entry 0: 'index' must be a non-negative integer"),
        ([entry(index="3")], r"'index' must be a non-negative integer"),
        ([entry(file="")], r"'file' must be a non-empty string"),
        ([entry(title_line="  ")], r"'title_line' must be a non-empty string"),
        ([entry(duplicate_of="dev-en.txt#1")], r"'duplicate_of' must be null"),
        ([entry(), entry()], r"dev-en\.txt#0: article labelled twice"),
        (
            [entry(duplicate_of={"file": "dev-en.txt", "index": 0})],
            r"duplicate_of points to itself",
        ),
        (
            [entry(duplicate_of={"file": "dev-kk.txt", "index": 4})],
            r"duplicate_of dev-kk\.txt#4 is not a labelled article",
        ),
        (["just a string"], r"entry 0: expected an object"),
    ],
)
def test_parse_labels_rejects_malformed_entries(entries: list[Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_labels(json.dumps(entries))


@pytest.mark.parametrize("text", ["{not json", '{"file": "a.txt"}'])
def test_parse_labels_rejects_a_file_that_is_not_a_list(text: str) -> None:
    with pytest.raises(ValueError, match="labels"):
        parse_labels(text)


labels_strategy = st.lists(
    st.builds(
        lambda regions, topics, lang, dup: (regions, topics, lang, dup),
        st.lists(st.sampled_from(REGION_SLUGS[:-1]), min_size=1, max_size=3, unique=True),
        st.lists(st.sampled_from(TOPIC_SLUGS), min_size=1, max_size=3, unique=True),
        st.sampled_from(LANGUAGES),
        st.integers(min_value=-1, max_value=20),
    ),
    min_size=1,
    max_size=12,
)


@given(labels_strategy)
def test_predicting_the_gold_labels_scores_perfectly(raw: list[Any]) -> None:
    labels = [
        gold(
            "f.txt",
            i,
            tuple(regions),
            tuple(topics),
            lang,
            ("f.txt", dup) if 0 <= dup < i else None,
        )
        for i, (regions, topics, lang, dup) in enumerate(raw)
    ]
    cluster: dict[int, int] = {}
    for label in labels:
        own = label.index
        cluster[own] = cluster[label.duplicate_of[1]] if label.duplicate_of else own
    predictions = [
        pred(label.file, label.index, label.regions, label.topics, label.lang, cluster[label.index])
        for label in labels
    ]
    report = score(labels, predictions)
    perfect = {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert report["regions"] == perfect
    assert report["topics"] == perfect
    assert report["duplicates"] == {"precision": 1.0, "recall": 1.0}
    assert report["errors"] == []
