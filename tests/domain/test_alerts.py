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


def test_the_lexicon_refuses_unknown_categories_and_bad_entries() -> None:
    with pytest.raises(ValueError, match="unknown categories"):
        load_alert_lexicon('[tsunami.en]\nevents = ["wave"]\n')
    with pytest.raises(ValueError, match="bad entry"):
        load_alert_lexicon('[road.en]\nevents = ["road ~ closed ~ today"]\n')
    with pytest.raises(ValueError, match="unknown languages"):
        load_alert_lexicon('[road.de]\nevents = ["strasse"]\n')
