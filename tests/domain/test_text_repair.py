"""Repairs of what scraping breaks, one table per defect of the seed file."""

from __future__ import annotations

import time

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.domain.text_repair import (
    cut_on_word,
    is_broken_title,
    is_shouting,
    sentence_case,
    separate_glued_sentences,
    split_credits,
    split_sentences,
    summarise,
)


@pytest.mark.parametrize(
    ("glued", "repaired"),
    [
        ("economic growth.Karaganda region", "economic growth. Karaganda region"),
        ("is expected.The development", "is expected. The development"),
        ("Karaganda region.– The number", "Karaganda region. – The number"),
        ("it was noted?Yes", "it was noted? Yes"),
        ("рост.Карагандинская область", "рост. Карагандинская область"),
        ("жылы.Қарағанды облысында", "жылы. Қарағанды облысында"),
        ("upgraded in KazakhstanA full-scale", "upgraded in Kazakhstan. A full-scale"),
        # left alone: numbers, dates, initials, acronyms, domains, URLs, names in CamelCase
        ("exceeded 30.1 billion", "exceeded 30.1 billion"),
        ("on 13.01.2025 in", "on 13.01.2025 in"),
        ("chaired by S.Kuanyshuly", "chaired by S.Kuanyshuly"),
        ("the U.S.A and", "the U.S.A and"),
        ("see primeminister.kz today", "see primeminister.kz today"),
        ("link https://t.me/TazaQazBot.Next", "link https://t.me/TazaQazBot.Next"),
        ("the TazaQazBot chat", "the TazaQazBot chat"),
        ("a LinkedIn page", "a LinkedIn page"),
        ("т.е.Караганда", "т.е.Караганда"),
    ],
)
def test_glued_sentences_are_separated(glued: str, repaired: str) -> None:
    assert separate_glued_sentences(glued) == repaired


@pytest.mark.parametrize(
    "title",
    [
        "502 Bad Gateway",
        "404 Not Found",
        "503 Service Unavailable",
        "",
        "   ",
        "Just a moment...",
        "Access denied",
        "Error 500",
        "Страница не найдена",
    ],
)
def test_error_pages_are_not_titles(title: str) -> None:
    assert is_broken_title(title)


@pytest.mark.parametrize(
    "title",
    [
        "154 PROJECTS WERE IMPLEMENTED",
        "30,000 subscribers will be provided",
        "A cable car was built",
        "200 video cameras installed in Turkestan",
    ],
)
def test_real_titles_are_kept(title: str) -> None:
    assert not is_broken_title(title)


@pytest.mark.parametrize(
    ("title", "body", "expected"),
    [
        (
            "TURKESTAN: PUBLIC SAFETY IS UNDER CONTROL",
            "Cameras in Turkestan region watch. The Operational Control Center of Turkestan works.",
            "Turkestan: public safety is under control",
        ),
        (
            "QAZAQ AIR LAUNCHED FLIGHTS ON IQ 361 LINE OF 110 KV",
            "The airline QAZAQ AIR said so. The IQ 361 is new. A line of 110 kV was built.",
            "QAZAQ AIR launched flights on IQ 361 line of 110 kV",
        ),
        (
            "154 PROJECTS OF THE AUYL – EL BESIGI PROJECT.",
            "The Auyl – El Besigi project is going on in the region.",
            "154 projects of the Auyl – El Besigi project.",
        ),
        (
            "КАРАГАНДА: НОВЫЙ МОСТ ОТКРЫТ",
            "В Караганде открыли мост. Жители Караганды рады.",
            "Караганда: новый мост открыт",
        ),
    ],
)
def test_shouting_titles_get_sentence_case_keeping_names(
    title: str, body: str, expected: str
) -> None:
    assert is_shouting(title)
    assert sentence_case(title, body) == expected


def test_mixed_case_titles_are_not_shouting() -> None:
    assert not is_shouting("The number of flights to Turkestan is increasing")
    assert not is_shouting("IQ 361")


def test_credits_stay_out_of_the_content() -> None:
    sentences = split_sentences(
        "Work goes on. Plans were set. Press service of Akim of Turkestan region"
    )
    content, credits = split_credits(sentences)
    assert content == ["Work goes on.", "Plans were set."]
    assert credits == ["Press service of Akim of Turkestan region"]


@pytest.mark.parametrize(
    ("text", "credit"),
    [
        ("Containers will move. @KZgovernment", "@KZgovernment"),
        ("Rates went up (from 0.1% to 0.2%).primeminister.kz", "primeminister.kz"),
        (
            "Жұмыс жалғасуда. Облыс әкімдігінің баспасөз қызметі",
            "Облыс әкімдігінің баспасөз қызметі",
        ),
        (
            "Работа продолжается. Пресс-служба акимата Карагандинской области",
            "Пресс-служба акимата Карагандинской области",
        ),
    ],
)
def test_trailing_credits_of_several_kinds(text: str, credit: str) -> None:
    content, credits = split_credits(split_sentences(separate_glued_sentences(text)))
    assert credits == [credit]
    assert content


def test_a_link_in_the_last_sentence_is_content_not_credit() -> None:
    content, credits = split_credits(split_sentences("Write to the bot: https://t.me/TazaQazBot"))
    assert credits == []
    assert content == ["Write to the bot: https://t.me/TazaQazBot"]


def test_sentences_do_not_split_after_initials_or_abbreviations() -> None:
    assert split_sentences("Met S. Kuanyshuly today. Then left.") == [
        "Met S. Kuanyshuly today.",
        "Then left.",
    ]
    assert split_sentences("Это т.д. Так и было.") == ["Это т.д. Так и было."]


def test_summary_is_the_lead_within_the_limit() -> None:
    sentences = ["First sentence is short.", "Second one too.", "Third " + "long " * 80 + "end."]
    summary = summarise(sentences)
    assert summary == "First sentence is short. Second one too."
    one_long = summarise(["word " * 200])
    assert len(one_long) <= 300
    assert one_long.endswith("…")


@given(st.text(), st.integers(min_value=2, max_value=400))
@example("a " * 400, 10)
def test_cut_on_word_respects_the_limit(text: str, limit: int) -> None:
    cut = cut_on_word(text, limit)
    assert len(cut) <= limit
    if len(text) <= limit:
        assert cut == text


@given(st.text())
@example("growth.Karaganda and KazakhstanA full")
def test_repairs_only_add_spaces_and_stops(text: str) -> None:
    def letters(value: str) -> str:
        return "".join(value.split()).replace(".", "")

    assert letters(separate_glued_sentences(text)) == letters(text)


def test_glued_sentences_are_separated_in_linear_time() -> None:
    """A hostile body of 5,000 glued sentences (50 KB) was quadratic: a second per article."""
    body = "word.Next " * 5_000
    started = time.perf_counter()
    repaired = separate_glued_sentences(body)
    assert time.perf_counter() - started < 0.5
    assert repaired.count("word. Next") == 5_000
