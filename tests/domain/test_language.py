"""Language detection: English, Russian or Kazakh, on titles as well as whole articles."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.domain.language import detect_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # short titles
        ("A cable car was built in Shakhtinsk", "en"),
        ("TURKESTAN: PUBLIC SAFETY IS UNDER CONTROL", "en"),
        ("В Караганде открыли новую школу", "ru"),
        ("Ремонт дорог завершен", "ru"),
        ("Маслихат утвердил бюджет", "ru"),
        ("Электронная коммерция: итоги года", "ru"),
        ("Қарағанды облысында жаңа мектеп ашылды", "kk"),
        ("ҚАРАҒАНДЫ ОБЛЫСЫНДА ЖАҢА МЕКТЕП АШЫЛДЫ", "kk"),
        ("Мәслихат бюджетті бекітті", "kk"),
        ("Облыс әкімі фермерлермен кездесті", "kk"),
        # Kazakh made of Russian loanwords
        ("Цифрландыру жобасы іске асырылуда", "kk"),
        ("Экономика және инвестиция", "kk"),
        ("Автобус паркі жаңартылды", "kk"),
        # Russian quoting Kazakh names
        ("Аким Карагандинской области посетил Қарағанды", "ru"),
        ("Рейс Жезқазған – Қарағанды запущен", "ru"),
        ("В Өскемене и Қонаеве откроют новые школы для детей", "ru"),
        # English with a Cyrillic name
        ("Akim of Karaganda region met Қарағанды residents", "en"),
        ("The festival «Наурыз» gathered thousands of guests in Astana", "en"),
    ],
)
def test_titles(text: str, expected: str) -> None:
    assert detect_language(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "В Карагандинской области в этом году отремонтируют более 300 километров дорог. "
            "Об этом сообщили в управлении пассажирского транспорта. Работы начнутся в апреле, "
            "подрядчики определены по итогам конкурса. Қарағанды – Теміртау трассасы будет "
            "расширена до четырех полос. Источник: https://www.gov.kz/memleket/entities/karaganda",
            "ru",
        ),
        (
            "Түркістан облысында биыл 41 мектеп күрделі жөндеуден өтеді. Облыс әкімінің "
            "орынбасары мектептердегі жылыту жүйесін газға ауыстыру жұмыстары жалғасатынын айтты. "
            "Программа бойынша цифрлық технологиялар мен интернет барлық мектептерге жеткізіледі.",
            "kk",
        ),
        (
            "The regional akimat reported that 14 new kindergartens will open. Пресс-служба "
            "акимата Карагандинской области. Source : https://www.gov.kz/memleket/entities/karaganda",
            "en",
        ),
    ],
)
def test_articles(text: str, expected: str) -> None:
    assert detect_language(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Kazakh in the Latin alphabet with acute letters, titles and articles
        ("Qaraǵandy oblysynda jańa mektep ashyldy", "kk"),
        ("Túrkistanda týrıster sany artty", "kk"),
        ("Almaty qalasynda jol keptelisi azaıdy", "kk"),
        ("SHYMKENT QALASYNDA JAŃA SAIABAQ ASHYLDY", "kk"),
        (
            "ASTANA. QAZAQPARAT – Shyǵys Qazaqstan oblysynda bıyl 40 shaqyrym jylý jelisi "
            "jańartylady. Bul týraly oblystyq energetıka basqarmasy habarlady. Jumystar mamyr "
            "aıynda bastalyp, qazan aıyna deıin aıaqtalady.",
            "kk",
        ),
        # the 2021 alphabet
        ("Soltüstik Qazaqstan oblısında egis jūmıstarı bastaldı", "kk"),
        # English quoting Latin Kazakh names stays English
        ("Öskemen and Qaraǵandy get new buses", "en"),
        (
            "The akimat of Qaraǵandy region said that men and women over 60 will ride buses for "
            "free. The programme was first tried in Óskemen, where 12,000 pensioners use it.",
            "en",
        ),
        ("Qazaq Air opens a flight to Túrkistan", "en"),
    ],
)
def test_kazakh_in_latin_letters(text: str, expected: str) -> None:
    assert detect_language(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "12.01.2025", "— 100% —", "https://gov.kz/x"])
def test_text_without_letters_gets_the_default(text: str) -> None:
    assert detect_language(text, default="kk") == "kk"
    assert detect_language(text, default="ru") == "ru"


@given(st.text(max_size=300))
@example("Қ")
@example("ё")
@example("İ")
def test_always_one_of_the_three(text: str) -> None:
    assert detect_language(text) in ("en", "ru", "kk")
