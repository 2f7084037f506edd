"""Reading in bulk over code points gives what reading token by token gives."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.domain.bulk_reading import BulkReader
from bot.domain.name_forms import MAX_ENDING
from bot.domain.reading import ArticleWords
from bot.domain.shingles import content_shingles
from bot.domain.tagging import Tagger
from bot.domain.tokens import normal_words, raw_tokens, split_glued
from bot.domain.words import ReadText
from bot.reference_data import load_gazetteer
from bot.topic_data import bundled_topic_lexicon

TAGGER = Tagger(gazetteer=load_gazetteer(), lexicon=bundled_topic_lexicon())
BULK = BulkReader(
    name_stems=TAGGER.gazetteer.scanner.first_stems(),
    topic_stems=TAGGER.lexicon.stems,
    topic_words=TAGGER.lexicon.exact,
    max_ending=MAX_ENDING,
)

# Words that start names, topic entries, cues and phrases, stopwords, figures, glued and mixed
# tokens, dashes and hyphens, and characters the bulk reader leaves to the slow one.
pieces = st.sampled_from(
    [
        "Karaganda",
        "Карагандинской области",
        "Қарағандыда",
        "Түркiстан",
        "Шымкенте",
        "Oral",
        "ОРАЛ",
        "region",
        "облысы",
        "the",
        "және",
        "school",
        "мектептер",
        "питьевой водой",
        "2,600",
        "2024Karaganda",
        "KazakhstanA",
        "COVID19",
        "eGov",
        "Bukhar-Zhyrau",
        " - ",
        "–",
        "—",
        "-",
        "Ёлка",
        "İstanbul",
        "ΣΟΦΙΑ",
        "😀",
        "under_score",
        ".",
        " ",
        "\n",
    ]
)
texts = st.one_of(st.text(max_size=80), st.lists(pieces, max_size=30).map("".join))


def slow_facts(text: str) -> tuple[dict[int, tuple[object, ...]], int, dict[int, object]]:
    """Name starts, cue count and topic entries of a text, as the stand-alone taggers read it."""
    read = ReadText.of(TAGGER.gazetteer.pieces(text))
    memo = TAGGER.lexicon.memo
    topics = {i: found for i, word in enumerate(normal_words(text)) if (found := memo[word])}
    return dict(read.starts), read.cues, topics


@given(texts)
@example("KazakhstanA 2024Karaganda Түркiстан – a - b-c")
def test_bulk_reading_finds_the_same_tokens_and_shingles(text: str) -> None:
    scan = BULK.scan(text)
    if scan is None:
        return  # left to the slow reader, which the other tests cover
    parts = [part for token in raw_tokens(text) for part in split_glued(token)]
    assert [text[start:end] for start, end in zip(scan.starts, scan.ends, strict=True)] == parts
    (shingles,) = scan.shingles([0, len(scan.starts)])
    assert sorted(shingles.tolist()) == sorted(content_shingles(normal_words(text)).tolist())


@given(texts)
@example("Карагандинской области питьевой водой облысы Oral")
def test_bulk_reading_gives_every_word_its_names_and_topics(text: str) -> None:
    read = TAGGER.reader.read_text(text)
    starts, cues, topics = slow_facts(text)
    assert (dict(read.starts), read.cues, dict(read.topics)) == (starts, cues, topics)
    assert [word.low for word in read.words] == normal_words(text)


@pytest.mark.parametrize("text", ["İstanbul", "ΟΔΟΣ", "emoji 😀"])
def test_texts_the_tables_cannot_answer_are_left_to_the_slow_reader(text: str) -> None:
    assert BULK.scan(text) is None
    read = TAGGER.reader.read_text(text)
    assert [word.low for word in read.words] == normal_words(text)


def test_an_empty_text_has_no_tokens() -> None:
    scan = BULK.scan("")
    assert scan is not None
    assert (scan.starts.tolist(), scan.candidates, scan.shingles([0, 0])[0].tolist()) == (
        [],
        [],
        [],
    )


def facts(text: ArticleWords) -> tuple[object, ...]:
    return (
        [word.low for word in text.title_words.words],
        [word.low for word in text.body_words.words],
        dict(text.title_words.starts),
        dict(text.body_words.topics),
        text.title_words.cues + text.body_words.cues,
        sorted(text.shingles.tolist()),
    )


@given(st.lists(st.tuples(texts, texts), max_size=12))
def test_reading_many_articles_at_once_reads_each_as_alone(articles: list[tuple[str, str]]) -> None:
    together = list(TAGGER.read_many(articles))
    assert [facts(text) for text in together] == [facts(TAGGER.read(*pair)) for pair in articles]


def test_batches_of_articles_meet_no_matter_how_long() -> None:
    long_body = "Karaganda school 2,600 " * 5_000  # longer than one batch by itself
    articles = [("Шымкенте", long_body), ("Oral", "облысы мектептер"), ("😀", "Ёлка")] * 3
    together = list(TAGGER.read_many(articles))
    assert [facts(text) for text in together] == [facts(TAGGER.read(*pair)) for pair in articles]


def test_words_read_in_bulk_are_the_same_from_either_end() -> None:
    words = TAGGER.reader.read_text("Новости Карагандинской области Karaganda").words
    assert [words[i] for i in range(-len(words), 0)] == list(words)
    assert words[-1].starts  # a name's first word keeps its names, however it is reached
    with pytest.raises(IndexError):
        words[len(words)]


def test_an_outsized_text_is_read_like_any_other() -> None:
    text = "Қарағандыда school 2,600 – " * 45_000  # over a million characters
    scan = BULK.scan(text)
    assert scan is not None
    (shingles,) = scan.shingles([0, len(scan.starts)])
    assert sorted(shingles.tolist()) == sorted(content_shingles(normal_words(text)).tolist())
    assert len(scan.starts) == len(normal_words(text))
    assert len(scan.candidates) == 2 * 45_000  # the place and the topic word, every time
