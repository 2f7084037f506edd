"""One tokenisation shared by every tagger gives the same answers as each tagger on its own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.domain.articles import CleanArticle
from bot.domain.dedup import article_signature, signature, text_for_dedup
from bot.domain.normalise import clean_entry
from bot.domain.regions import tag_regions
from bot.domain.seed_format import parse_seed_text
from bot.domain.tagging import Tagger
from bot.domain.tokens import Memo, normal_words, words
from bot.domain.topics import tag_topics
from bot.reference_data import load_gazetteer
from bot.topic_data import bundled_topic_lexicon

DATA = Path(__file__).resolve().parents[1] / "data"
TAGGER = Tagger(gazetteer=load_gazetteer(), lexicon=bundled_topic_lexicon())


def dev_articles() -> list[CleanArticle]:
    articles = []
    for path in sorted(DATA.glob("*.txt")):
        page = parse_seed_text(path.read_text(encoding="utf-8"), file_name=path.name)
        articles += [clean_entry(entry, site=page.site_name) for entry in page.entries]
    return articles


ARTICLES = dev_articles()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("Kostanay – Turkestan", ["kostanay", "turkestan"]),
        ("Bukhar-Zhyrau district", ["bukhar", "zhyrau", "district"]),
        ("region.The Ёлка", ["region", "the", "елка"]),
        ("under_score 2024Karaganda 5G", ["under", "score", "2024", "karaganda", "5", "g"]),
        ("KazakhstanAnother – Түркiстан", ["kazakhstan", "another", "түркістан"]),
    ],
)
def test_words(text: str, expected: list[str]) -> None:
    assert words(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("Kostanay – Turkestan - Oral", ["kostanay", "–", "turkestan", "–", "oral"]),
        ("Bukhar-Zhyrau district", ["bukhar", "zhyrau", "district"]),
        ("region.The Ёлка", ["region", "the", "елка"]),
        ("2024Karaganda KazakhstanA", ["2024", "karaganda", "kazakhstan", "a"]),
        ("Түркiстан Almaty", ["түркістан", "almaty"]),  # a Latin i typed in a Kazakh word
    ],
)
def test_normal_words(text: str, expected: list[str]) -> None:
    assert normal_words(text) == expected
    words_read = TAGGER.reader.words(text)
    assert [word.low for word in words_read] == expected


@given(st.text(max_size=300))
@example("«Нұра» – Qaraghandy.İ KazakhstanA 2024Karaganda")
def test_reader_gives_normal_words(text: str) -> None:
    assert [word.low for word in TAGGER.reader.words(text)] == normal_words(text)


def test_dev_articles_are_read() -> None:
    labels = json.loads((DATA / "dev-labels.json").read_text(encoding="utf-8"))
    assert len(ARTICLES) == len(labels)  # every labelled article, the set grows


@pytest.mark.parametrize("article", ARTICLES, ids=lambda article: article.title[:40])
def test_shared_text_gives_the_same_tags_and_signature(article: CleanArticle) -> None:
    title, body, url = article.title, article.body, article.source_url
    text = TAGGER.read(title, body)
    gazetteer, lexicon = TAGGER.gazetteer, TAGGER.lexicon
    alone = tag_regions(gazetteer, title=title, body=body, source_url=url)
    assert tag_regions(gazetteer, title=title, body=body, source_url=url, text=text) == alone
    topics = tag_topics(lexicon, title=title, body=body)
    assert tag_topics(lexicon, title=title, body=body, text=text) == topics
    assert article_signature(text) == signature(text_for_dedup(title, body))
    assert TAGGER.tag(title=title, body=body, source_url=url, text=text).regions == alone


pieces = st.sampled_from(
    [
        "Karaganda",
        "Қарағандыда",
        "Шымкенте",
        "Oral",
        "region",
        "облысы",
        "– ",
        "school",
        "мектеп",
        "жол",
        "дороги",
        "питьевой водой",
        "2,600",
        "Press service of the Akim.",
        "https://www.gov.kz/x/1",
        ".",
        " ",
        "\n",
    ]
)


@given(st.lists(pieces, max_size=60), st.lists(pieces, max_size=8))
def test_shared_text_matches_on_generated_articles(body: list[str], title: list[str]) -> None:
    title_text, body_text = " ".join(title), " ".join(body)
    text = TAGGER.read(title_text, body_text)
    gazetteer, lexicon = TAGGER.gazetteer, TAGGER.lexicon
    assert tag_regions(
        gazetteer, title=title_text, body=body_text, source_url=None, text=text
    ) == tag_regions(gazetteer, title=title_text, body=body_text, source_url=None)
    assert tag_topics(lexicon, title=title_text, body=body_text, text=text) == tag_topics(
        lexicon, title=title_text, body=body_text
    )
    assert article_signature(text) == signature(text_for_dedup(title_text, body_text))


def test_memo_computes_each_key_once_while_it_is_kept() -> None:
    calls: list[int] = []

    def square(value: int) -> int:
        calls.append(value)
        return value * value

    memo = Memo(square, limit=3)
    assert [memo[v] for v in (1, 2, 1, 3)] == [1, 4, 1, 9]
    assert calls == [1, 2, 3]
    assert memo[4] == 16  # full: 1, 2, 3 become the older generation
    assert len(memo) == 1
    assert memo[2] == 4  # found in the older generation, not computed again
    assert calls == [1, 2, 3, 4]


@given(st.lists(st.integers(0, 20), max_size=200), st.integers(1, 5))
def test_memo_always_answers_like_the_function(keys: list[int], limit: int) -> None:
    memo: Memo[int, int] = Memo(lambda value: value * 7, limit=limit)
    assert [memo[key] for key in keys] == [key * 7 for key in keys]
    assert len(memo) <= limit
