"""The labelled development set agrees with its corpus files and covers the taxonomy."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from bot.domain.evaluation import GoldLabel, parse_labels
from bot.domain.taxonomy import LANGUAGES, NATIONAL, REGION_SLUGS, TOPIC_SLUGS

DATA = Path(__file__).resolve().parent.parent / "data"
SEED_FILE = "enbekshi-qazaq-business-2025-01-13.txt"
HEADER_LINES = 4
TITLE = re.compile(r"^\S.* \d{2}\.\d{2}\.\d{4}$")


def title_lines(path: Path) -> list[str]:
    """Minimal reader of the seed format: after the header, lines alternate title / body."""
    lines = path.read_text(encoding="utf-8").splitlines()
    content = [line for line in lines[HEADER_LINES:] if line.strip()]
    assert len(content) % 2 == 0, f"{path.name}: a title without its body line"
    return content[0::2]


@pytest.fixture(scope="module")
def corpus() -> dict[str, list[str]]:
    return {path.name: title_lines(path) for path in sorted(DATA.glob("*.txt"))}


@pytest.fixture(scope="module")
def labels() -> list[GoldLabel]:
    return parse_labels((DATA / "dev-labels.json").read_text(encoding="utf-8"))


def test_every_corpus_file_keeps_the_seed_header(corpus: dict[str, list[str]]) -> None:
    for name in corpus:
        site, blank, section, blank_too = (DATA / name).read_text(encoding="utf-8").splitlines()[:4]
        assert site.strip() and section.strip(), name
        assert blank == blank_too == "", name


def test_every_title_line_ends_with_a_date(corpus: dict[str, list[str]]) -> None:
    for name, titles in corpus.items():
        for title in titles:
            assert TITLE.match(title), f"{name}: {title!r}"


def test_labels_match_the_corpus_title_lines(
    labels: list[GoldLabel], corpus: dict[str, list[str]]
) -> None:
    for label in labels:
        assert label.file in corpus, label.file
        assert corpus[label.file][label.index] == label.title_line, (label.file, label.index)


def test_every_article_is_labelled_once_in_file_order(
    labels: list[GoldLabel], corpus: dict[str, list[str]]
) -> None:
    by_file: dict[str, list[int]] = {}
    for label in labels:
        by_file.setdefault(label.file, []).append(label.index)
    assert set(by_file) == set(corpus)
    for name, indices in by_file.items():
        assert indices == list(range(len(corpus[name]))), name


def test_the_seed_file_is_copied_unchanged() -> None:
    seed = DATA.parent.parent / "seeds" / SEED_FILE
    assert (DATA / SEED_FILE).read_bytes() == seed.read_bytes()


def test_labels_cover_the_whole_taxonomy(labels: list[GoldLabel]) -> None:
    regions = {region for label in labels for region in label.regions}
    topics = {topic for label in labels for topic in label.topics}
    assert regions == set(REGION_SLUGS)
    assert topics == set(TOPIC_SLUGS)


def test_label_shape_follows_the_rules(labels: list[GoldLabel]) -> None:
    for label in labels:
        assert 1 <= len(label.topics) <= 3
        assert label.regions == (NATIONAL,) or NATIONAL not in label.regions


def test_at_least_twenty_own_articles_per_language(labels: list[GoldLabel]) -> None:
    own = Counter(label.lang for label in labels if label.file != SEED_FILE)
    assert all(own[language] >= 20 for language in LANGUAGES), own


def test_duplicates_pair_articles_across_files_and_languages(labels: list[GoldLabel]) -> None:
    by_key = {label.key: label for label in labels}
    links = [label for label in labels if label.duplicate_of is not None]
    assert len(links) >= 8
    for label in links:
        assert label.duplicate_of is not None
        target = by_key[label.duplicate_of]
        assert target.file != label.file, label.key
    languages = {
        frozenset((label.lang, by_key[label.duplicate_of].lang))
        for label in links
        if label.duplicate_of is not None
    }
    # one story in two languages is one story (shared/taxonomy.md): every pairing is labelled
    assert {frozenset(("kk", "ru")), frozenset(("ru", "en")), frozenset(("kk", "en"))} <= languages
    # one chain of three checks the transitive closure on real data
    targets = {label.duplicate_of for label in links}
    assert any(label.key in targets for label in links)
