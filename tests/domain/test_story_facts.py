"""Story facts read alike in Kazakh, Russian and English: figures, days, places and people."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.domain.figures import Day, Quantity, read_figures
from bot.domain.skeletons import same_name, skeleton
from bot.domain.unit_words import BEGINNING, MAY_MEAN, MEANINGS, NOTHING, meaning
from tests.domain.story_samples import DAY, ENGLISH, KAZAKH, RUSSIAN, facts


def values(text: str) -> set[tuple[float, str]]:
    quantities, _ = read_figures(text)
    return {(quantity.value, quantity.unit) for quantity in quantities}


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (("1 200 семей", "1 200 отбасы", "1,200 families", "1200 семей"), (1200.0, "family")),
        (("12 тыс. тонн", "12 мың тонна", "12 thousand tonnes", "12 000 тонн"), (12000.0, "tonne")),
        (("1,5 млрд тенге", "1,5 млрд теңге", "1.5 billion tenge"), (1.5e9, "tenge")),
        (("40 процентов", "40 пайыз", "40 percent", "40%"), (40.0, "percent")),
        (("38 км", "38 шақырым", "38 kilometres"), (38.0, "km")),
        (
            ("150 тысяч гектаров", "150 мың гектар", "150,000 hectares", "150 000 га"),
            (1.5e5, "hectare"),
        ),
        (("500 МВт", "500 мегаватт", "500 MW"), (500.0, "mw")),
        (("на 300 мест", "300 орындық", "300 places", "a 300-seat hall"), (300.0, "seat")),
        (("на 500 коек", "500 төсектік", "500 beds", "a 500-bed hospital"), (500.0, "bed")),
        (("1 200 учеников", "1 200 оқушыға", "1,200 pupils"), (1200.0, "student")),
    ],
)
def test_a_figure_reads_alike_in_three_languages(
    texts: tuple[str, ...], expected: tuple[float, str]
) -> None:
    for text in texts:
        assert values(text) == {expected}, text


def test_kazakh_in_latin_letters_is_read_too() -> None:
    assert values("320 shaqyrym jol, 41 mıllıard teńge") == {(320.0, "km"), (41e9, "tenge")}


def test_filler_words_may_stand_between_a_figure_and_its_unit() -> None:
    assert values("12 новых школ, 40 young teachers, 3 мыңнан астам жас жұмысқа") == {
        (12.0, "school"),
        (40.0, "teacher"),
        (3000.0, "job"),
    }


@pytest.mark.parametrize(
    "text",
    [
        "в 2025 году",
        "2025 жылы",
        "In 2025, work begins",
        "at 15:00",
        "13-ші кезең",
        "Source : https://www.gov.kz/memleket/entities/karaganda/press/news/details/917410",
        "рейс IQ361",
    ],
)
def test_years_times_ordinals_and_links_are_no_figures(text: str) -> None:
    assert values(text) == set()


@pytest.mark.parametrize(
    "text",
    ["15 марта", "15 наурызда", "15 March", "March 15", "Mar. 15", "15.03.2025", "15 naýryzda"],
)
def test_a_day_reads_alike_in_three_languages(text: str) -> None:
    assert read_figures(text) == ([], [Day(3, 15)])


def test_a_figure_before_a_multiplier_keeps_its_decimal_comma() -> None:
    [quantity], _ = read_figures("выделено 1,250 млрд тенге")
    assert quantity == Quantity(1.25e9, "tenge", 1.25, "млрд тенге")


@given(st.integers(min_value=1_000, max_value=999_999))
@example(1_200)
def test_thousands_read_alike_in_every_notation(number: int) -> None:
    spaced = f"{number:,}".replace(",", " ")
    for written in (f"{number:,}", spaced, str(number)):
        assert values(f"{written} families") == {(float(number), "family")}, written


@given(st.text(alphabet="абгдеклмнопрстуыйжқңғүұәіtonekmparsy%.", max_size=12))
@example("тонн")
@example("мың")
@example("г")
@example("местных")
def test_the_quick_refusal_of_a_word_agrees_with_its_meaning(word: str) -> None:
    """`MAY_MEAN` only skips words `meaning` would find nothing in; `MEANINGS` remembers it."""
    quick = MEANINGS[word] if word[:BEGINNING] in MAY_MEAN else NOTHING
    assert quick == meaning(word)


@given(st.text(max_size=200))
def test_any_text_reads_without_error(text: str) -> None:
    quantities, days = read_figures(text)
    assert all(1 <= day.month <= 12 and 1 <= day.day <= 31 for day in days)
    assert all(quantity.value >= 0 for quantity in quantities)


@pytest.mark.parametrize(
    "names",
    [
        ("Сейтжанов", "Seitzhanov", "Сейітжанов", "Seıtjanov"),
        ("Мұқашев", "Мукашев", "Mukashev"),
        ("Теміртау", "Темиртау", "Temirtau", "Temirtaý"),
        ("Қарағанды", "Караганда", "Qaraghandy", "Qarağandı"),
        ("Шымкент", "Shymkent", "Chimkent", "Şımkent"),
    ],
)
def test_spellings_of_one_name_share_a_skeleton(names: tuple[str, ...]) -> None:
    assert len({skeleton(name) for name in names}) == 1, [skeleton(name) for name in names]


def test_skeletons_of_other_names_differ() -> None:
    assert not same_name(skeleton("Сейтжанов"), skeleton("Сейтказиев"))
    assert not same_name(skeleton("Temirtau"), skeleton("Saran"))
    assert same_name(skeleton("Бұқар"), skeleton("Bukhar"))


@pytest.mark.parametrize("article", [KAZAKH, RUSSIAN, ENGLISH])
def test_an_article_states_the_same_facts_in_each_language(article: tuple[str, str]) -> None:
    found = facts(*article)
    assert found.regions == ("pavlodar",)
    assert found.published_on == DAY
    assert [place.key for place in found.places] == ["pavlodar:kbstz"]
    assert {(q.value, q.unit) for q in found.quantities} == {
        (1200.0, "family"),
        (4.5e9, "tenge"),
        (38.0, "km"),
    }
    assert found.days == (Day(3, 15),)
    assert [person.key for person in found.people] == [skeleton("Мукашев")]


def test_a_surname_is_read_through_its_case_endings_and_places_are_not_people() -> None:
    found = facts(
        "Сәтбаевта жаңа кеніш ашылды",
        "Сәтбаев қаласында кеніш ашылды. Кен орнын Айгүл Тоқтарованың командасы игереді, "
        "деп хабарлады Данияр Омаровқа сілтеме жасаған басқарма.",
    )
    assert {person.text for person in found.people} == {"Тоқтаров", "Омаров"}
