"""/subscribe and /unsubscribe arguments: names, quoted keywords, exclusions."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.domain.subscribe_args import (
    MAX_KEYWORD_CHARS,
    MAX_TERMS,
    Exclusion,
    Keyword,
    Names,
    Term,
    TermError,
    normalize_keyword,
    parse_subscription_args,
    segment,
)
from bot.domain.taxonomy import REGION_NAMES, TOPIC_NAMES

CASES: list[tuple[str, list[Term]]] = [
    ("", []),
    ("/subscribe", []),
    ("karaganda", [Names(("karaganda",))]),
    ("/subscribe karaganda economy", [Names(("karaganda", "economy"))]),
    ("/subscribe@KzDigestBot almaty region", [Names(("almaty", "region"))]),
    ("north kazakhstan", [Names(("north", "kazakhstan"))]),
    ("Восточно-Казахстанская область", [Names(("Восточно-Казахстанская", "область"))]),
    (
        "almaty, karaganda; transport",
        [Names(("almaty",)), Names(("karaganda",)), Names(("transport",))],
    ),
    ("almaty - karaganda", [Names(("almaty",)), Names(("karaganda",))]),
    ("almaty.", [Names(("almaty",))]),
    ("(almaty)", [Names(("almaty",))]),
    ('"water tariff"', [Keyword("water tariff")]),
    ("«тариф на воду»", [Keyword("тариф на воду")]),
    ("“бюджет”", [Keyword("бюджет")]),
    ("„школа“", [Keyword("школа")]),
    ("'ice rink'", [Keyword("ice rink")]),
    ("‘ice rink’", [Keyword("ice rink")]),
    ("'O'Hare airport'", [Keyword("O'Hare airport")]),
    ("Qazaqstan's roads", [Names(("Qazaqstan's", "roads"))]),
    ('"  many   spaces\there "', [Keyword("many spaces here")]),
    ('"unclosed phrase', [Keyword("unclosed phrase")]),
    ("-football", [Exclusion("football", quoted=False)]),
    ('-"ice hockey"', [Exclusion("ice hockey", quoted=True)]),
    (
        "−football —«хоккей с шайбой»",
        [
            Exclusion("football", quoted=False),
            Exclusion("хоккей с шайбой", quoted=True),
        ],
    ),
    (
        'almaty region, economy "water tariff" -football -"ice hockey"',
        [
            Names(("almaty", "region")),
            Names(("economy",)),
            Keyword("water tariff"),
            Exclusion("football", quoted=False),
            Exclusion("ice hockey", quoted=True),
        ],
    ),
    ('karaganda "coal" shymkent', [Names(("karaganda",)), Keyword("coal"), Names(("shymkent",))]),
    ("Шығыс Қазақстан облысы", [Names(("Шығыс", "Қазақстан", "облысы"))]),
    ("zero\u200bwidth", [Names(("zero\u200bwidth",))]),
    ('"zero\u200bwidth"', [Keyword("zerowidth")]),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_parse_subscription_args(text: str, expected: list[Term]) -> None:
    assert parse_subscription_args(text) == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('""', "subscribe.keyword_empty"),
        ("«   »", "subscribe.keyword_empty"),
        ('"?!..."', "subscribe.keyword_empty"),
        ('-"—"', "subscribe.keyword_empty"),
        ('"' + "a" * (MAX_KEYWORD_CHARS + 1) + '"', "subscribe.keyword_too_long"),
        (" ".join(["w"] * (MAX_TERMS + 1)), "subscribe.too_many_terms"),
    ],
)
def test_refused(text: str, key: str) -> None:
    with pytest.raises(TermError) as refused:
        parse_subscription_args(text)
    assert refused.value.key == key


def test_too_long_keyword_error_carries_its_parameters() -> None:
    with pytest.raises(TermError) as refused:
        normalize_keyword("я" * 100)
    assert refused.value.params["limit"] == str(MAX_KEYWORD_CHARS)
    assert refused.value.params["keyword"].startswith("я" * MAX_KEYWORD_CHARS)


def test_a_keyword_of_exactly_the_limit_is_kept() -> None:
    assert normalize_keyword("a" * MAX_KEYWORD_CHARS) == "a" * MAX_KEYWORD_CHARS


def test_keywords_are_plain_text_not_patterns() -> None:
    assert parse_subscription_args('"a.*b (c|d)"') == [Keyword("a.*b (c|d)")]


@given(st.text(max_size=200))
@example('-"')
@example("-")
@example("'")
@example('"\'"')
@example("/subscribe@")
def test_parse_never_raises_anything_but_term_error(text: str) -> None:
    try:
        terms = parse_subscription_args(text)
    except TermError:
        return
    for term in terms:
        if isinstance(term, Names):
            assert term.words
            for word in term.words:
                assert word and not any(char.isspace() for char in word)
                assert word[0].isalnum() and word[-1].isalnum()
        else:
            assert normalize_keyword(term.text) == term.text


@given(st.text(max_size=100))
def test_normalize_keyword_is_idempotent_and_bounded(text: str) -> None:
    try:
        keyword = normalize_keyword(text)
    except TermError:
        return
    assert normalize_keyword(keyword) == keyword
    assert 0 < len(keyword) <= MAX_KEYWORD_CHARS
    assert "  " not in keyword and keyword == keyword.strip()


# Text reaches the parser as typed, and the parser keeps it in NFC.
WORD = (
    st.text(st.characters(categories=["L", "Nd"]), min_size=1, max_size=10)
    .map(lambda word: unicodedata.normalize("NFC", word))
    .filter(lambda word: all(char.isalnum() for char in word))
)
PHRASE = st.lists(WORD, min_size=1, max_size=4).map(" ".join)
TERMS = st.lists(
    st.one_of(
        st.builds(lambda w: Names((w,)), WORD),
        st.builds(Keyword, PHRASE),
        st.builds(lambda p: Exclusion(p, quoted=True), PHRASE),
        st.builds(lambda w: Exclusion(w, quoted=False), WORD),
    ),
    max_size=8,
)


def render(term: Term) -> str:
    match term:
        case Names(words):
            return " ".join(words) + ","
        case Keyword(text):
            return f"«{text}»"
        case Exclusion(text, quoted=True):
            return f'-"{text}"'
        case Exclusion(text, quoted=False):
            return f"-{text}"
    raise AssertionError(term)


@given(TERMS)
def test_rendered_terms_parse_back(terms: list[Term]) -> None:
    assert parse_subscription_args(" ".join(render(term) for term in terms)) == terms


def _lookup_name(text: str) -> str | None:
    """A small resolver: any display name of a region or topic, case-insensitive."""
    for table in (REGION_NAMES, TOPIC_NAMES):
        for slug, names in table.items():
            if text.casefold() in {name.casefold() for name in names}:
                return slug
    return {"north kazakhstan": "north-kazakhstan", "almaty": "almaty"}.get(text.casefold())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("almaty region", [("almaty region", "almaty-region")]),
        ("almaty", [("almaty", "almaty")]),
        ("north kazakhstan", [("north kazakhstan", "north-kazakhstan")]),
        ("Восточно-Казахстанская область", [("Восточно-Казахстанская область", "east-kazakhstan")]),
        ("Шығыс Қазақстан облысы", [("Шығыс Қазақстан облысы", "east-kazakhstan")]),
        (
            "culture and sport and almaty region mordor",
            [
                ("culture and sport", "culture"),
                ("almaty region", "almaty-region"),
                ("mordor", None),
            ],
        ),
        ("Жұмыс және әлеуметтік қолдау", [("Жұмыс және әлеуметтік қолдау", "social")]),
        ("astana и almaty", [("astana", "astana"), ("almaty", "almaty")]),
    ],
)
def test_segment_greedy_longest(text: str, expected: list[tuple[str, str | None]]) -> None:
    (run,) = parse_subscription_args(text)
    assert isinstance(run, Names)
    assert [(span.text, value) for span, value in segment(run.words, _lookup_name)] == expected


@given(
    st.lists(st.sampled_from(["almaty", "region", "north", "kazakhstan", "x", "and"]), max_size=10)
)
def test_segment_spans_are_ordered_and_disjoint(words: list[str]) -> None:
    found = segment(words, _lookup_name)
    ends = [0]
    for span, value in found:
        assert span.start >= ends[-1] and span.end > span.start
        assert value == _lookup_name(span.text)
        ends.append(span.end)
    covered = {i for span, _ in found for i in range(span.start, span.end)}
    assert all(words[i] == "and" for i in set(range(len(words))) - covered)
