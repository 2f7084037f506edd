"""Urgent articles: notices of events now or about to be, not reports on them; their times.

The texts here are not in the development set (tests/data/dev-alerts-*.txt): written for this
test, so that the lexicon is also checked on notices it was not tuned on.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.alert_data import bundled_alert_lexicon
from bot.domain.alert_lexicon import ALERT_CATEGORIES, load_alert_lexicon
from bot.domain.alert_times import read_event_times
from bot.domain.alerts import LOCAL_ZONE, find_urgent

LEXICON = bundled_alert_lexicon()
# 8 December 2025, 09:00 in Almaty.
PUBLISHED = datetime(2025, 12, 8, 4, 0, tzinfo=UTC)


def _local(day: int, hour: int = 0, minute: int = 0, month: int = 12) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=LOCAL_ZONE).astimezone(UTC)


POSITIVES = [
    (
        "В Караганде 9 декабря отключат холодную воду",
        "В Караганде 9 декабря отключат холодную воду с 10:00 до 18:00. Без воды останутся "
        "дома в Майкудуке, сообщили в водоканале.",
        "outage",
        (_local(9, 10), _local(9, 18)),
    ),
    (
        "В Темиртау завтра не будет горячей воды",
        "Завтра с 08:00 до 20:00 в домах 5-го микрорайона Темиртау не будет горячей воды: "
        "энергетики ремонтируют теплотрассу.",
        "outage",
        (_local(9, 8), _local(9, 20)),
    ),
    (
        "Сәтбаевта бүгін жарық өшіріледі",
        "Сәтбаев қаласында бүгін сағат 11:00-ден 15:00-ге дейін бірнеше көшеде электр жарығы "
        "өшіріледі, деп хабарлады энергетиктер.",
        "outage",
        (_local(8, 11), _local(8, 15)),
    ),
    (
        "Qaraǵandyda erteń sýyq sý óshiriledi",
        "Qaraǵandyda erteń saǵat 09:00-den 17:00-ge deıin sýyq sý óshiriledi.",
        "outage",
        (_local(9, 9), _local(9, 17)),
    ),
    (
        "Blizzard warning for Akmola region tonight",
        "Kazhydromet has issued a warning: a blizzard with wind up to 20 m/s is expected in "
        "Akmola region tonight.",
        "weather",
        (_local(8), _local(9)),
    ),
    (
        "Трассу Астана – Щучинск перекрыли из-за бурана",
        "Движение на трассе Астана – Щучинск перекрыто с 14:00 из-за бурана, сообщает полиция.",
        "road",
        (_local(8, 14), None),
    ),
    (
        "Residents evacuated as fire spreads in a Kostanay apartment block",
        "A fire broke out on the fourth floor of an apartment block in Kostanay this morning. "
        "Firefighters are evacuating residents.",
        "emergency",
        (None, None),
    ),
]

NEGATIVES = [
    (
        "Итоги года: в Алматы отключений электричества стало вдвое меньше",
        "В прошлом году в Алматы без света жители оставались в среднем 3 часа, а теперь – 1,5.",
    ),
    (
        "Kokshetau students learn what to do in a flood",
        "A lesson on flood safety was held at a college in Kokshetau: students learned how to "
        "evacuate calmly.",
    ),
    (
        "Өскеменде жылу желілерін жаңғырту жалғасуда",
        "Бағдарлама аясында биыл 12 шақырым құбыр ауыстырылды, сондықтан апаттық өшірулер азайды.",
    ),
    (
        "В Таразе прошли учения: «пожар» в больнице",
        "Спасатели эвакуировали из больницы 200 человек во время учений.",
    ),
    (
        "Storm damage compensation paid in Atyrau",
        "Families whose roofs were damaged by the storm last year received compensation.",
    ),
    (
        "Участок трассы Караганда – Каркаралинск закроют на ремонт в следующем году",
        "Ремонт трассы начнется весной следующего года, движение будет закрыто на 20 км.",
    ),
    ("Farmers get subsidies for seeds", "The akim met farmers and promised fuel at lower prices."),
]

# A reviewer's hard negatives (reworded): a hazard word that is a name, a metaphor or a topic;
# a warning lifted, a supply back, a quarantine over, a road reopened; a denial, a negation.
LOOKALIKES = [
    ("Сегодня в Павлодаре семинар по защите от паводков", "Семинар для сотрудников акимата."),
    ("Tomorrow: a flood prevention workshop in Oral", "Akimat staff will be trained tomorrow."),
    (
        "Barys defeat the Storm tonight",
        "Barys beat the Storm 4-1 tonight; the next game will be on Friday.",
    ),
    ("Fire safety month opens in Aktobe schools", "Today pupils will practise how to evacuate."),
    ("Хоккеисты тренируются в морозы", "Сегодня команда вышла на лед, несмотря на морозы."),
    (
        "Завтра в Семее покажут фильм «Буран»",
        "Завтра в кинотеатре покажут фильм о корабле «Буран».",
    ),
    (
        "Турнир «Буран» пройдет в Караганде 20 декабря",
        "Турнир по мини-футболу «Буран» соберет 12 команд.",
    ),
    (
        "Штормовое предупреждение в Ұлытау сегодня сняли",
        "Синоптики сняли предупреждение: ветер стих.",
    ),
    ("Қостанай облысында дауыл туралы ескерту алынды", "Бүгін синоптиктер ескертуді алып тастады."),
    ("В Сатпаеве восстановили подачу воды", "Подачу воды сегодня восстановили после аварии."),
    ("В Шахтинске дали свет", "Сегодня свет в домах дали после отключения."),
    (
        "Карантин в гимназии Темиртау закончился",
        "Сегодня карантин закончился, занятия возобновились.",
    ),
    ("Трассу Астана – Караганда открыли после бурана", "Сегодня трассу открыли для всех машин."),
    (
        "Завтра отключат газ в Кокшетау? В акимате опровергли",
        "Слухи об отключении газа завтра не подтвердились.",
    ),
    (
        "Ертең Теміртауда су өшірілмейді",
        "Ертең жоспарлы су өшіру болмайды, деп хабарлады кәсіпорын.",
    ),
    ("Erteń Temirtaýda sý óshirilmeıdi", "Erteń josparly sý óshirý bolmaıdy."),
    (
        "A storm of tariffs, the president warns",
        "The president warned today of a storm of tariffs.",
    ),
    (
        "Flooded with applications: colleges open admissions",
        "Documents will be accepted until Friday.",
    ),
    (
        "Frost-resistant barley to be sown in Kostanay",
        "Farmers will be sowing a frost resistant variety.",
    ),
    ("Road to Burabay will not be closed for the festival", "No closures are planned tomorrow."),
    (
        "Газета «Индустриальная Караганда» отключила комментарии",
        "Сегодня редакция газеты отключила комментарии.",
    ),
    ("Президент Жолдауын бүгін жариялайды", "Жолдаудан кейін сессия жабылды."),
]

# Notices worded otherwise than the development set: the same rules must still find them.
OTHER_NOTICES = [
    (
        "Метель накрыла Костанай",
        "Сегодня с утра в Костанае метель, видимость до 50 метров.",
        "weather",
    ),
    ("Жаңаөзенде қатты жел туралы ескерту жарияланды", "Ертең жел екпіні күшейеді.", "weather"),
    ("Blizzard warning for Kostanay region", "A blizzard is forecast for tonight.", "weather"),
    (
        "Карантин по гриппу ввели в школах Атырау",
        "С 11 декабря в школах введен карантин.",
        "emergency",
    ),
    ("Перевал Шакпак закрыт из-за снегопада", "Движение через перевал закрыто.", "road"),
    ("В Балхаше 300 домов остались без газа", "Аварийная служба работает на месте.", "outage"),
]


@pytest.mark.parametrize(("title", "body", "category", "times"), POSITIVES)
def test_notices_of_events_now_or_about_to_be_are_urgent(
    title: str, body: str, category: str, times: tuple[datetime | None, datetime | None]
) -> None:
    notice = find_urgent(LEXICON, title=title, body=body, published=PUBLISHED)
    assert notice is not None
    assert notice.category == category
    assert notice.cues
    assert (notice.starts_at, notice.ends_at) == times


@pytest.mark.parametrize(("title", "body"), NEGATIVES)
def test_reports_plans_drills_and_statistics_are_not_urgent(title: str, body: str) -> None:
    assert find_urgent(LEXICON, title=title, body=body, published=PUBLISHED) is None


@pytest.mark.parametrize(("title", "body"), LOOKALIKES)
def test_names_metaphors_lifted_warnings_denials_and_negations_are_not_urgent(
    title: str, body: str
) -> None:
    assert find_urgent(LEXICON, title=title, body=body, published=PUBLISHED) is None


@pytest.mark.parametrize(("title", "body", "category"), OTHER_NOTICES)
def test_notices_worded_otherwise_are_urgent(title: str, body: str, category: str) -> None:
    notice = find_urgent(LEXICON, title=title, body=body, published=PUBLISHED)
    assert notice is not None
    assert notice.category == category


@pytest.mark.parametrize(
    ("text", "starts", "ends"),
    [
        ("9 декабря с 10:00 до 18:00", _local(9, 10), _local(9, 18)),
        ("9 желтоқсанда 10:00-ден 18:00-ге дейін", _local(9, 10), _local(9, 18)),
        ("on 12 December from 9:00 to 17:00", _local(12, 9), _local(12, 17)),
        ("сегодня с 22:00 до 06:00", _local(8, 22), _local(9, 6)),
        ("с 15 по 17 декабря", _local(15), _local(18)),
        ("15-17 желтоқсан аралығында", _local(15), _local(18)),
        ("until 14 December", None, _local(15)),
        ("14 желтоқсанға дейін", None, _local(15)),
        ("подачу тепла восстановят к 20:00", None, _local(8, 20)),
        ("5 января", _local(5, month=1).replace(year=2026), _local(6, month=1).replace(year=2026)),
        ("no time at all", None, None),
        # a date written in figures is a date, never a time of day (15.12 is not 15:12)
        ("горячей воды не будет до 15.12.2025", None, _local(16)),
        ("ремонт продлится до 15.12", None, _local(16)),
        ("ыстық су 15.12 дейін болмайды", None, _local(16)),
        ("с 10:00 до 18:00 10.12.2025", _local(10, 10), _local(10, 18)),
        ("с 10.00 до 18.00", _local(8, 10), _local(8, 18)),
        ("с 9.30 до 17.30", _local(8, 9, 30), _local(8, 17, 30)),
        # month first, in English
        ("on December 10 from 10:00 to 18:00", _local(10, 10), _local(10, 18)),
        ("until December 14, 2025", None, _local(15)),
        # a year written is kept, before or after the day
        (
            "в 2024 году 10 декабря отключали воду",
            _local(10).replace(year=2024),
            _local(11).replace(year=2024),
        ),
        ("2024 жылғы 10 желтоқсанда", _local(10).replace(year=2024), _local(11).replace(year=2024)),
        ("10 декабря 2024 года", _local(10).replace(year=2024), _local(11).replace(year=2024)),
        # a start said with "at" / "в", whole hours said to be hours
        ("at 14:00 on 9 December", _local(9, 14), _local(10)),
        ("в 14:00 отключат свет", _local(8, 14), None),
        ("с 9 до 17 часов 9 декабря", _local(9, 9), _local(9, 17)),
        # a whole day named: from its midnight to the next
        ("9 желтоқсанда", _local(9), _local(10)),
    ],
)
def test_event_times_are_read_in_local_time(
    text: str, starts: datetime | None, ends: datetime | None
) -> None:
    times = read_event_times(text, published=PUBLISHED, zone=LOCAL_ZONE)
    assert (times.starts_at, times.ends_at) == (starts, ends)


@given(st.text(max_size=300), st.integers(min_value=0, max_value=400))
def test_any_text_gives_an_answer_and_times_in_order(text: str, days: int) -> None:
    published = PUBLISHED + timedelta(days=days)
    notice = find_urgent(LEXICON, title=text[:40], body=text, published=published)
    if notice is not None:
        assert notice.category in ALERT_CATEGORIES
    times = read_event_times(text, published=published, zone=LOCAL_ZONE)
    if times.starts_at is not None and times.ends_at is not None:
        assert times.starts_at < times.ends_at


def _urgent_in(lexicon_toml: str, title: str) -> bool:
    lexicon = load_alert_lexicon(lexicon_toml)
    return find_urgent(lexicon, title=title, body="", published=PUBLISHED) is not None


def test_an_entry_with_alternatives_stands_for_each_of_them() -> None:
    toml = '[now]\nen = ["today"]\n[weather.en]\nevents = ["{storm|blizzard} ~ {warning|alert}"]\n'
    assert _urgent_in(toml, "Blizzard alert today")
    assert _urgent_in(toml, "Warning: storm today")
    assert not _urgent_in(toml, "Storm today")


def test_an_ignored_word_beats_the_shorter_stems_it_begins_with() -> None:
    events = '[now]\nru = ["сегодня"]\n[outage.ru]\nevents = ["отключ* ~ вод*"]\n'
    ignoring = events + '[ignore]\nru = ["водител*"]\n'
    assert _urgent_in(events, "Водителю сегодня отключили телефон")
    assert not _urgent_in(ignoring, "Водителю сегодня отключили телефон")
    assert _urgent_in(ignoring, "Сегодня отключат воду")


def test_a_kazakh_stem_does_not_match_the_negative_forms_it_begins() -> None:
    toml = '[now]\nkk = ["ертең"]\n[outage.kk]\nevents = ["су ~ өшіріл*", "газ ~ берілмейді"]\n'
    assert _urgent_in(toml, "Ертең су өшіріледі")
    assert not _urgent_in(toml, "Ертең су өшірілмейді")
    assert not _urgent_in(toml, "Ертең су өшірілмеген")
    assert not _urgent_in(toml, "Erteń sý óshirilmeıdi")
    assert _urgent_in(toml, "Ертең газ берілмейді")  # a negative listed as a word is the event


def test_the_lexicon_refuses_unknown_categories_and_bad_entries() -> None:
    with pytest.raises(ValueError, match="unknown categories"):
        load_alert_lexicon('[tsunami.en]\nevents = ["wave"]\n')
    with pytest.raises(ValueError, match="bad entry"):
        load_alert_lexicon('[road.en]\nevents = ["road ~ closed ~ today"]\n')
    with pytest.raises(ValueError, match="unknown languages"):
        load_alert_lexicon('[road.de]\nevents = ["strasse"]\n')
