"""Topic tagging: every topic in every language, the seed articles, and properties."""

from __future__ import annotations

import re
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.taxonomy import TOPIC_SLUGS
from bot.domain.topics import load_topic_lexicon, tag_topics
from bot.topic_data import bundled_topic_lexicon

LEXICON = bundled_topic_lexicon()

# (main topic, title, body): short press releases, one per topic and language.
EXAMPLES = [
    (
        "economy",
        "Online trade grows in Karaganda region",
        "E-commerce sales exceeded 30 billion tenge; entrepreneurs opened 200 new shops on the "
        "marketplace and small business received microcredits.",
    ),
    (
        "economy",
        "В Павлодаре открылся бизнес-инкубатор",
        "Предприниматели получат льготные кредиты, а инвесторы — налоговые преференции. Объем "
        "торговли вырос на 12 процентов.",
    ),
    (
        "economy",
        "Қостанайда кәсіпкерлерге жеңілдетілген несие беріледі",
        "Шағын және орта бизнес өкілдері 300 млн теңге инвестиция тартты. Сауда көлемі артты.",
    ),
    (
        "agriculture",
        "Farmers of Turkestan region begin spring sowing",
        "Farmers will sow cotton and wheat on 906 thousand hectares; 12 thousand tractors and "
        "fertilizers are ready for field work.",
    ),
    (
        "agriculture",
        "В Костанайской области завершили уборку урожая",
        "Аграрии собрали 5 млн тонн зерна с 4 млн гектаров. "
        "Фермеры получили субсидии на удобрения.",
    ),
    (
        "agriculture",
        "Түркістан облысында көктемгі егіс басталды",
        "Фермерлер 900 мың гектарға мақта мен бидай егеді. Ауыл шаруашылығы техникасы дайын.",
    ),
    (
        "transport",
        "New flights from Turkestan airport",
        "The airline launches subsidized flights to Astana; passengers can buy tickets online.",
    ),
    (
        "transport",
        "В Шымкенте обновят автобусный парк",
        "На маршруты выйдут 200 новых автобусов, пассажирские перевозки станут удобнее.",
    ),
    (
        "transport",
        "Ақтөбе әуежайынан жаңа рейстер ашылды",
        "Әуе компаниясы жолаушыларға Астанаға апта сайын екі рейс ұсынады.",
    ),
    (
        "utilities",
        "Substation repaired in Tselinograd district",
        "The power supply of 30,000 subscribers became reliable; electricity outages will stop.",
    ),
    (
        "utilities",
        "В Семее заменят 20 км тепловых сетей",
        "Теплоснабжение и водоснабжение микрорайонов улучшится к отопительному сезону.",
    ),
    (
        "utilities",
        "Кентауда ауыз су құбыры тартылды",
        "Ауылдар орталықтандырылған сумен жабдықтауға қосылды, газдандыру жалғасады.",
    ),
    (
        "construction",
        "A residential complex for 1,500 apartments is being built in Konaev",
        "The contractor will complete the construction of nine buildings by December.",
    ),
    (
        "construction",
        "В Астане построят жилой комплекс на 800 квартир",
        "Строительство ведет подрядчик, ввод в эксплуатацию запланирован на осень.",
    ),
    (
        "construction",
        "Қонаевта тұрғын үй кешені салынады",
        "Мердігер 1 500 пәтерлік көпқабатты үйлердің құрылысын жыл соңында аяқтайды.",
    ),
    (
        "education",
        "Forty young teachers arrived in village schools",
        "The teachers will work in schools of North Kazakhstan; pupils get new classrooms.",
    ),
    (
        "education",
        "В Актобе открылась новая школа на 1200 учеников",
        "Учителя и педагоги готовы к урокам, в школе оборудованы кабинеты робототехники.",
    ),
    (
        "education",
        "Ауыл мектептеріне 25 жас мұғалім келді",
        "Жас педагогтар оқушыларға сабақ береді, мектептер жаңа жабдықпен қамтылды.",
    ),
    (
        "health",
        "A cardiac surgery center opened in Semey",
        "Doctors will perform 600 surgeries a year; "
        "patients no longer travel to Astana for treatment.",
    ),
    (
        "health",
        "В Уральске открыли новую поликлинику",
        "Врачи примут 500 пациентов в день, в поликлинике работает отделение диагностики.",
    ),
    (
        "health",
        "Қарағандыда жаңа емхана ашылды",
        "Дәрігерлер күніне 400 науқасты қабылдайды, емхана заманауи құралдармен жабдықталған.",
    ),
    (
        "safety",
        "A warehouse fire was put out in Aktobe",
        "Firefighters of the emergency department extinguished the fire; police opened a case.",
    ),
    (
        "safety",
        "В Арыси спасатели потушили пожар",
        "Пожарные МЧС эвакуировали жителей, полиция выясняет причины происшествия.",
    ),
    (
        "safety",
        "Алматыда 2 мың бейнекамера орнатылды",
        "Бейнебақылау жүйесі полицияға қылмыстың алдын алуға көмектеседі, "
        "қоғамдық тәртіп күшейеді.",
    ),
    (
        "governance",
        "Key issues of public procurement were discussed",
        "The akim demanded that the budget be spent on time and the law on procurement observed.",
    ),
    (
        "governance",
        "Маслихат утвердил бюджет области на 2025 год",
        "Депутаты на сессии приняли поправки в бюджет и обсудили госзакупки.",
    ),
    (
        "governance",
        "Мәслихат сессиясында облыс бюджеті бекітілді",
        "Депутаттар бюджетке түзетулер енгізді, мемлекеттік сатып алу мәселесі талқыланды.",
    ),
    (
        "industry",
        "A second tire production line launched in Saran",
        "The plant will manufacture 500 thousand tires a year for the mining industry.",
    ),
    (
        "industry",
        "В Актобе расширят завод ферросплавов",
        "Металлургический комбинат увеличит производство на 20 процентов.",
    ),
    (
        "industry",
        "Ақсайда газ өңдеу зауыты салынады",
        "Зауыт жылына 4 млрд текше метр газ өңдейді, өнеркәсіп өндірісі артады.",
    ),
    (
        "culture",
        "Nauryz festival gathered thousands in Turkestan",
        "Tourists watched concerts and a sports tournament; the museum held an exhibition.",
    ),
    (
        "culture",
        "В Сарани открылся обновленный городской парк",
        "Для отдыха жителей построили каток, спортивные площадки и концертную сцену.",
    ),
    (
        "culture",
        "Түркістанда Наурыз мерекесі тойланды",
        "Мерекелік концерт, спорт жарыстары және көрме туристерді қуантты.",
    ),
    (
        "environment",
        "Saxaul will be planted on 20 thousand hectares of the Aral Sea bed",
        "Forestry workers will plant saplings to stop dust storms and protect the ecology.",
    ),
    (
        "environment",
        "В Усть-Каменогорске установили посты мониторинга воздуха",
        "Экологи будут отслеживать выбросы и загрязнение атмосферы.",
    ),
    (
        "environment",
        "Өскеменде ауа сапасын бақылайтын бекеттер орнатылды",
        "Экология департаменті ластану мен зиянды шығарындыларды бақылайды.",
    ),
    (
        "social",
        "More than 17 thousand people found jobs in Mangystau",
        "Employment centres helped the unemployed; a job fair offered 2,000 vacancies.",
    ),
    (
        "social",
        "В Мангистауской области трудоустроено 17 тысяч человек",
        "Центр занятости помог безработным, на ярмарке вакансий предложили 2000 рабочих мест.",
    ),
    (
        "social",
        "Ақтөбеде 3 мыңнан астам жас жұмысқа орналасты",
        "Жұмыспен қамту орталығы жұмыссыз жастарға бос жұмыс орындарын ұсынды.",
    ),
    (
        "digital",
        "New services added to the Smart Astana app",
        "Residents can pay for parking and book a doctor online through the mobile app.",
    ),
    (
        "digital",
        "В Шымкенте запустили чат-бот для обращений граждан",
        "Цифровизация госуслуг: жители получают справки онлайн через телеграм-бот.",
    ),
    (
        "digital",
        "Smart Astana қосымшасына жаңа қызметтер қосылды",
        "Тұрғындар мобильді қосымша арқылы онлайн төлем жасай алады, цифрландыру жалғасады.",
    ),
]


@pytest.mark.parametrize(("main", "title", "body"), EXAMPLES)
def test_main_topic(main: str, title: str, body: str) -> None:
    decision = tag_topics(LEXICON, title=title, body=body)
    assert decision.labels[0] == main, decision
    assert decision.explain(main), "the main topic comes with its evidence"


def test_every_topic_and_language_has_an_example() -> None:
    assert {main for main, _, _ in EXAMPLES} == set(TOPIC_SLUGS)
    assert len(EXAMPLES) == 3 * len(TOPIC_SLUGS)


def seed_articles() -> list[tuple[str, str]]:
    text = resources.files("seeds").joinpath("enbekshi-qazaq-business-2025-01-13.txt")
    lines = text.read_text(encoding="utf-8").splitlines()[4:]
    content = [line for line in lines if line.strip()]
    return [
        (re.sub(r"\s+\d\d\.\d\d\.\d{4}$", "", content[i]), content[i + 1])
        for i in range(0, len(content), 2)
    ]


# What a careful editor says about the seed articles: the main topic, and topics that may follow.
SEED_TOPICS = {
    0: ("economy", {"digital"}),
    2: ("culture", {"construction"}),
    3: ("transport", {"governance"}),
    4: ("safety", {"digital"}),
    5: ("transport", {"culture"}),
    8: ("utilities", {"construction"}),
    9: ("transport", {"construction"}),
    11: ("agriculture", {"governance"}),
    12: ("governance", set()),
    13: ("industry", {"construction"}),
    14: ("environment", {"digital"}),
    15: ("transport", {"culture"}),
    16: ("transport", {"construction", "governance"}),
    17: ("utilities", {"construction"}),
    18: ("agriculture", {"economy", "industry"}),
    19: ("education", {"construction"}),
}


@pytest.mark.parametrize("index", sorted(SEED_TOPICS))
def test_seed_articles(index: int) -> None:
    title, body = seed_articles()[index]
    main, allowed = SEED_TOPICS[index]
    labels = tag_topics(LEXICON, title=title, body=body).labels
    assert labels[0] == main
    assert set(labels[1:]) <= allowed


def test_title_words_weigh_more_than_one_body_mention() -> None:
    body = "The meeting discussed the plan. Schools will also get new computers."
    assert tag_topics(LEXICON, title="New bus routes in Aktobe", body=body).labels[0] == (
        "transport"
    )


def test_longest_entry_wins_and_ignored_words_do_not_count() -> None:
    # "өнеркәсіп" (industry) starts like "өнер" (art); "Жолдау" (the Address) like "жол" (road)
    assert tag_topics(LEXICON, title="Өнеркәсіп өнімі артты", body="").labels[0] == "industry"
    decision = tag_topics(LEXICON, title="Президент Жолдауы талқыланды", body="")
    assert "transport" not in decision.labels


def test_nothing_matched_gives_the_fallback() -> None:
    assert tag_topics(LEXICON, title="", body="").labels == ("governance",)


def test_lexicon_errors_name_the_problem() -> None:
    with pytest.raises(ValueError, match="unknown topic"):
        load_topic_lexicon('[weather.en]\nstrong = ["rain"]')
    with pytest.raises(ValueError, match="unknown language"):
        load_topic_lexicon('[transport.de]\nstrong = ["bahn"]')
    with pytest.raises(ValueError, match="fallback"):
        load_topic_lexicon('[scoring]\nfallback = "weather"')


def test_a_small_lexicon_is_enough() -> None:
    lexicon = load_topic_lexicon(
        '[transport.en]\nstrong = ["bus*", "public transport"]\n[digital.en]\nweak = ["app"]'
    )
    decision = tag_topics(lexicon, title="Buses", body="Public transport app")
    assert decision.labels == ("transport",)
    assert {item.text for item in decision.explain("transport")} == {"bus*", "public transport"}


@given(st.text(max_size=300), st.text(max_size=2000))
def test_tagging_never_fails(title: str, body: str) -> None:
    labels = tag_topics(LEXICON, title=title, body=body).labels
    assert 1 <= len(labels) <= 3
    assert len(set(labels)) == len(labels)
    assert set(labels) <= set(TOPIC_SLUGS)
