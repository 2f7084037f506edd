"""The reader finds every word that starts a name or a topic entry, and reads texts in batches
as it reads each alone."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.domain.reading import ArticleWords
from bot.domain.shingles import content_shingles
from bot.domain.tagging import Tagger
from bot.domain.tokens import TOKEN, normal_form, normal_text, normal_words, raw_tokens
from bot.domain.word_starts import WordStarts
from bot.domain.words import ReadText
from bot.reference_data import load_gazetteer
from bot.topic_data import bundled_topic_lexicon

TAGGER = Tagger(gazetteer=load_gazetteer(), lexicon=bundled_topic_lexicon())

# Words that start names, topic entries, cues and phrases, stopwords, figures, glued and mixed
# tokens, dashes and hyphens, and characters outside the common alphabets.
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
        "5G",
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
        "м²",
        "under_score",
        ".",
        " ",
        "\n",
    ]
)
texts = st.one_of(st.text(max_size=80), st.lists(pieces, max_size=30).map("".join))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("KazakhstanAnother 2024Karaganda", ["Kazakhstan", "Another", "2024", "Karaganda"]),
        ("COVID19 eGov iPhone ЖКХ ABc", ["COVID", "19", "e", "Gov", "i", "Phone", "ЖКХ", "ABc"]),
        ("м² CO₂ 2,600", ["м", "²", "CO", "₂", "2", "600"]),
        ("Kostanay – Turkestan - a-b —", ["Kostanay", "–", "Turkestan", "-", "a", "b", "—"]),
        ("under_score 😀 ΣΟΦΙΑ", ["under", "score", "ΣΟΦΙΑ"]),
    ],
)
def test_tokens_cut_glued_words(text: str, expected: list[str]) -> None:
    assert raw_tokens(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Түркiстан ТҮРКIСТАН", ["түркістан", "түркістан"]),  # a Latin i typed in a Kazakh word
        ("Kazinformның COVIDтың", ["kazinformның", "covidтың"]),  # a Latin word, a Kazakh ending
        ("Ёлка – a — b", ["елка", "–", "a", "–", "b"]),
    ],
)
def test_normal_forms(text: str, expected: list[str]) -> None:
    assert normal_words(text) == expected


@given(texts)
@example("ΣΟΦΙΑΣ İstanbul Түркiстан Kazinformның iiі")
def test_normal_forms_of_a_batch_are_those_of_each_token(text: str) -> None:
    tokens = raw_tokens(text)
    assert normal_words(text) == [normal_form(token) for token in tokens]
    assert normal_text(tokens) == " ".join(map(normal_form, tokens))


@given(texts)
@example("plain words, KazakhstanA – b-c 2,600")
def test_reading_piece_by_piece_gives_the_tokeniser_s_tokens(text: str) -> None:
    assert raw_tokens(text) == TOKEN.findall(text)


@given(texts)
def test_a_token_is_its_own_only_token(text: str) -> None:
    for token in raw_tokens(text):
        assert raw_tokens(token) == [token]


def facts_alone(text: str) -> tuple[object, ...]:
    """Name starts, cue count and topic entries of a text, each word looked up on its own."""
    read = ReadText.of(TAGGER.gazetteer.pieces(text))
    memo = TAGGER.lexicon.memo
    topics = {i: found for i, word in enumerate(normal_words(text)) if (found := memo[word])}
    return dict(read.starts), read.cues, topics


@given(texts)
@example("Карагандинской области питьевой водой облысы Oral 5G")
def test_the_automaton_finds_every_word_that_starts_something(text: str) -> None:
    read = TAGGER.reader.read_text(text)
    assert (dict(read.starts), read.cues, dict(read.topics)) == facts_alone(text)
    assert [word.low for word in read.words] == normal_words(text)
    assert [word.surface for word in read.words] == raw_tokens(text)


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


@given(texts, texts)
def test_an_articles_shingles_are_those_of_its_words(title: str, body: str) -> None:
    read = TAGGER.read(title, body)
    expected = content_shingles(normal_words(title) + normal_words(body))
    assert sorted(read.shingles.tolist()) == sorted(expected.tolist())


def test_batches_of_articles_meet_no_matter_how_long() -> None:
    long_body = "Karaganda school 2,600 " * 5_000  # longer than one batch by itself
    articles = [("Шымкенте", long_body), ("Oral", "облысы мектептер"), ("😀", "Ёлка")] * 3
    together = list(TAGGER.read_many(articles))
    assert [facts(text) for text in together] == [facts(TAGGER.read(*pair)) for pair in articles]


def test_words_are_the_same_from_either_end() -> None:
    words = TAGGER.reader.read_text("Новости Карагандинской области Karaganda").words
    assert [words[i] for i in range(-len(words), 0)] == list(words)
    assert words[-1].starts  # a name's first word keeps its names, however it is reached
    with pytest.raises(IndexError):
        words[len(words)]
    with pytest.raises(IndexError):
        words[-len(words) - 1]


def test_an_empty_text_has_no_words() -> None:
    read = TAGGER.read("", "")
    assert (len(read.title_words.words), read.body_words.starts, read.shingles.tolist()) == (
        0,
        {},
        [],
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("кара караганда it item", [1, 2]),  # "кара" is shorter than the stem; "item" is not "it"
        ("it", [0]),
        ("а – караганды it", [2, 3]),
    ],
)
def test_word_starts_are_stems_at_a_word_start_or_whole_exact_words(
    text: str, expected: list[int]
) -> None:
    starts = WordStarts(stems=["карага", "ганд"], exact=["it"])
    assert starts.find(text) == expected
