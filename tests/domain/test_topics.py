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


# The labelling rules of shared/taxonomy.md (Topics 3 and 4), one story per rule and language:
# (labels in order, title, body).
RULE_EXAMPLES: list[tuple[tuple[str, ...], str, str]] = [
    # Topics rule 3: building a public facility -> its sector, construction beside it
    (
        ("education", "construction"),
        "A school for 900 pupils will be built in Kokshetau",
        "The contractor has started construction of the three-storey school. Teachers and "
        "pupils will move into the new building next September.",
    ),
    (
        ("health", "construction"),
        "В Таразе построят поликлинику на 500 посещений",
        "Строительство поликлиники начнется весной. Врачи будут принимать пациентов в новом "
        "здании уже в следующем году.",
    ),
    (
        ("utilities", "construction"),
        "Арыс ауданында 40 шақырым су құбыры салынады",
        "Ауылдарда жаңа су құбыры салынып, тұрғындар таза ауыз сумен қамтамасыз етіледі.",
    ),
    # ... and road repair -> transport + construction
    (
        ("transport", "construction"),
        "Roads of Zhanaarka district will be repaired",
        "This summer 60 km of district roads will be repaired; buses to the villages will run "
        "on the new asphalt from autumn.",
    ),
    (
        ("transport", "construction"),
        "В Костанае отремонтируют 40 улиц и дорог",
        "Дороги в микрорайонах отремонтируют до осени, подрядчики уже вышли на объекты.",
    ),
    (
        ("transport", "construction"),
        "Қостанай облысында 200 шақырым жол жөнделеді",
        "Аудандық жолдар күрделі жөндеуден өтеді, жолаушылар көлігі жаңа жолмен жүреді.",
    ),
    # A private plant being built is industry (economy for the investment), not construction
    (
        ("industry", "economy"),
        "Construction of a cement plant has begun near Shymkent",
        "The plant is built by a private investor; the investment amounts to 90 billion tenge "
        "and the factory will produce two million tonnes of cement a year for export.",
    ),
    (
        ("industry", "economy"),
        "В Актобе начали строить завод по выпуску труб",
        "Завод строит частный инвестор, инвестиции составят 40 миллиардов тенге. Предприятие "
        "будет выпускать трубы для нефтегазовой отрасли.",
    ),
    (
        ("industry", "economy"),
        "Теміртауда болат құю зауыты салынады",
        "Зауытты жеке инвестор салады, инвестиция көлемі 70 миллиард теңге. Кәсіпорын "
        "металлургия өнімін экспортқа шығарады.",
    ),
    # An emergency repair or modernised equipment of a utility is utilities alone
    (
        ("utilities",),
        "A burst heat main was repaired overnight in Pavlodar",
        "Emergency repair crews replaced 20 metres of the heating main; heating was restored "
        "to 30 apartment blocks by the morning.",
    ),
    (
        ("utilities",),
        "В Семее устранили аварию на водопроводе",
        "Аварийные бригады заменили участок трубы, подача воды восстановлена. Авария "
        "оставила без водоснабжения 12 домов.",
    ),
    (
        ("utilities",),
        "Екібастұзда қосалқы станция жаңғыртылды",
        "Қосалқы станциядағы екі трансформатор ауыстырылды, электрмен жабдықтау сенімді болды.",
    ),
    # Tariffs of utilities -> utilities + economy
    (
        ("utilities", "economy"),
        "Water tariffs rise in Taraz from March",
        "The new tariff for cold water is 98 tenge per cubic metre; the utility explained the "
        "increase by the price of electricity.",
    ),
    (
        ("utilities", "economy"),
        "В Петропавловске повысят тарифы на тепло",
        "Тариф на отопление вырастет на 8 процентов, коммунальные платежи семьи увеличатся на "
        "600 тенге.",
    ),
    (
        ("utilities", "economy"),
        "Қызылордада жылу тарифі өзгереді",
        "Жаңа тариф бойынша жылу бағасы 7 пайызға өседі, тұтынушылардың төлемі артады.",
    ),
    # Surveillance cameras as the subject -> safety + digital
    (
        ("safety", "digital"),
        "500 surveillance cameras installed in Aktau",
        "The cameras are connected to the police situation centre; software recognises number "
        "plates and sends the data to patrol officers.",
    ),
    (
        ("safety", "digital"),
        "В Кызылорде установили 300 камер видеонаблюдения",
        "Камеры подключены к системе «Безопасный город», изображение анализирует "
        "искусственный интеллект, полиция получает данные онлайн.",
    ),
    (
        ("safety", "digital"),
        "Таразда 400 бейнекамера орнатылды",
        "Камералар полицияның жедел басқару орталығына қосылды, бейнебақылау жүйесі "
        "қылмысты азайтады.",
    ),
    # Floods -> safety, environment beside it when the river is the subject
    (
        ("safety", "environment"),
        "The Tobol river floods villages near Kostanay",
        "Rescuers evacuated 80 residents as the river rose by two metres; ecologists warn that "
        "the flood waters wash waste from dumps into the river and the lake downstream.",
    ),
    (
        ("safety",),
        "В Акмолинской области во время метели спасли 40 человек",
        "Спасатели МЧС эвакуировали людей из застрявших на трассе машин, полиция дежурит на "
        "постах.",
    ),
    (
        ("safety",),
        "Жамбыл облысында боран кезінде 20 адам құтқарылды",
        "Құтқарушылар мен полиция қызметкерлері адамдарды жылыту пункттеріне жеткізді, "
        "төтенше жағдайлар департаменті ескерту жариялады.",
    ),
    # Housing for families in need -> construction + social
    (
        ("construction", "social"),
        "300 rental flats for large families are being built in Taraz",
        "Construction of two apartment blocks is under way; the flats go to large families and "
        "families raising children with disabilities on the waiting list.",
    ),
    (
        ("construction", "social"),
        "В Атырау строят арендное жилье для многодетных семей",
        "Строительство двух домов на 200 квартир завершится в декабре, квартиры получат "
        "многодетные семьи из очереди.",
    ),
    (
        ("construction", "social"),
        "Ақтөбеде көпбалалы отбасыларға арналған тұрғын үй салынады",
        "Құрылыс биыл басталды, 300 пәтер көпбалалы отбасыларға жалға беріледі.",
    ),
]

# A passing phrase brings no topic: one mention of road repair in a tourism story, a meeting
# that is only the setting of a sectoral story (Topics rules 1 and 2).
PASSING_EXAMPLES: list[tuple[tuple[str, ...], str, str]] = [
    (
        ("culture",),
        "Turkestan welcomed 1.2 million tourists last year",
        "Tourists came to see the mausoleum and the museums; a folk music festival and "
        "concerts are planned for the autumn season. The road to the airport will also be "
        "repaired this year.",
    ),
    (
        ("education",),
        "В Павлодарской области 300 молодых учителей пришли в сельские школы",
        "Молодые педагоги преподают математику и физику, школы получили новые учебники. "
        "Весной в районе также отремонтируют дорогу в райцентр.",
    ),
    (
        ("agriculture",),
        "Түркістан облысында мақта егісіне дайындық басталды",
        "Фермерлер 120 мың гектарға мақта егеді, шаруаларға тыңайтқыш пен жанармай "
        "жеңілдікпен беріледі. Ауданда бір көпір де жөнделеді.",
    ),
    (
        ("education",),
        "Schools of Temirtau are ready for the new school year",
        "At a staff meeting in the akimat the akim heard how schools prepared for September: "
        "pupils will get new textbooks, teachers have been trained and classrooms equipped.",
    ),
    (
        ("agriculture",),
        "На аппаратном совещании обсудили подготовку к посевной",
        "Аграрии области засеют пшеницей 4 миллиона гектаров, фермерам выделят субсидии на "
        "семена и удобрения, техника к полевым работам готова.",
    ),
    (
        ("agriculture",),
        "Аппараттық кеңесте көктемгі егіс науқанына дайындық талқыланды",
        "Фермерлер 2 миллион гектарға бидай егеді, шаруаларға жанармай мен тыңайтқыш "
        "жеңілдікпен беріледі, ауыл шаруашылығы техникасы дайын.",
    ),
]


@pytest.mark.parametrize(("labels", "title", "body"), RULE_EXAMPLES + PASSING_EXAMPLES)
def test_labelling_rules(labels: tuple[str, ...], title: str, body: str) -> None:
    assert tag_topics(LEXICON, title=title, body=body).labels == labels


def test_a_topic_a_rule_brings_names_the_rule_in_its_evidence() -> None:
    decision = tag_topics(LEXICON, title="Roads of Zhanaarka district will be repaired", body="")
    assert decision.labels == ("transport", "construction")
    assert [item.text for item in decision.explain("construction") if item.signal == "rule"] == [
        "repair* + roads"
    ]


def test_kazakh_in_latin_letters_needs_no_entries_of_its_own() -> None:
    decision = tag_topics(
        LEXICON,
        title="Qaraǵandy oblysynda bıyl 300 shaqyrym jol jóndeledi",
        body="Aýdandyq joldar kúrdeli jóndeýden ótedi, jolaýshylar kóligi jańa jolmen júredi.",
    )
    assert decision.labels == ("transport", "construction")


def test_short_latin_spellings_of_kazakh_entries_do_not_catch_english_words() -> None:
    # "жануар" (animal) is "januar" in Latin letters: January must not be about the environment
    decision = tag_topics(LEXICON, title="Ken visited the plant in January", body="")
    assert "environment" not in decision.labels


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
    marked = '[transport.en]\nstrong = ["road @x"]\n[[rules]]\ncue = "x"\n'
    with pytest.raises(ValueError, match="no entry marks"):
        load_topic_lexicon('[transport.en]\nstrong = ["road"]\n[[rules]]\ncue = "build"')
    with pytest.raises(ValueError, match="unknown topic"):
        load_topic_lexicon(marked + 'add = ["weather"]')
    with pytest.raises(ValueError, match="needs `near`"):
        load_topic_lexicon(marked + 'main = "paired"')


def test_a_small_lexicon_is_enough() -> None:
    lexicon = load_topic_lexicon(
        '[transport.en]\nstrong = ["bus*", "public transport"]\n[digital.en]\nweak = ["app"]'
    )
    decision = tag_topics(lexicon, title="Buses", body="Public transport app")
    assert decision.labels == ("transport",)
    assert {item.text for item in decision.explain("transport")} == {"bus*", "public transport"}


def test_a_pair_rule_in_a_small_lexicon() -> None:
    lexicon = load_topic_lexicon(
        '[transport.en]\nstrong = ["road @facility", "bus"]\n'
        '[construction.en]\nweak = ["repair* @repair"]\n'
        '[[rules]]\ncue = "repair"\nnear = "facility"\nmain = "paired"\nadd = ["construction"]'
    )
    assert tag_topics(lexicon, title="Road repair", body="").labels == ("transport", "construction")
    assert tag_topics(lexicon, title="Bus repair", body="").labels == ("transport",)


def test_synonyms_are_names_users_may_type_not_entries() -> None:
    text = (
        '[transport.en]\nsynonyms = ["roads"]\nstrong = ["bus"]\n'
        '[transport.ru]\nsynonyms = ["дороги"]'
    )
    lexicon = load_topic_lexicon(text)
    assert lexicon.synonyms == {"transport": ("roads", "дороги")}
    assert tag_topics(lexicon, title="roads", body="").labels == ("governance",)
    assert "roads" in LEXICON.synonyms["transport"]


@given(st.text(max_size=300), st.text(max_size=2000))
def test_tagging_never_fails(title: str, body: str) -> None:
    labels = tag_topics(LEXICON, title=title, body=body).labels
    assert 1 <= len(labels) <= 3
    assert len(set(labels)) == len(labels)
    assert set(labels) <= set(TOPIC_SLUGS)
