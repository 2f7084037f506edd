"""Dates as Russian, Kazakh and English sites write them: a table, and a round trip per pattern."""

from __future__ import annotations

import time as time_module
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.domain.local_dates import find_local_date

ALMATY = ZoneInfo("Asia/Almaty")  # UTC+5 since March 2024
MOSCOW = ZoneInfo("Europe/Moscow")
NOW = datetime(2025, 3, 14, 10, 0, tzinfo=UTC)  # 15:00 on 14 March in Almaty


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ALMATY).astimezone(UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12 марта 2025", local(2025, 3, 12)),
        ("12 марта 2025 г.", local(2025, 3, 12)),
        ("12 марта 2025 года в 14:05", local(2025, 3, 12, 14, 5)),
        ("12.03.2025", local(2025, 3, 12)),
        ("Опубликовано: 12.03.2025 14:05", local(2025, 3, 12, 14, 5)),
        ("14:05, 12 марта 2025", local(2025, 3, 12, 14, 5)),
        ("14:05 | 12.03.2025", local(2025, 3, 12, 14, 5)),
        ("2025 жылғы 12 наурыз", local(2025, 3, 12)),
        ("2025 ж. 12 наурызда", local(2025, 3, 12)),
        ("12 наурыз 2025", local(2025, 3, 12)),
        ("12 наурыз 2025, 09:00", local(2025, 3, 12, 9, 0)),
        ("2 желтоқсан 2024", local(2024, 12, 2)),
        ("сегодня, 14:05", local(2025, 3, 14, 14, 5)),
        ("Сегодня в 9:30", local(2025, 3, 14, 9, 30)),
        ("вчера, 09:30", local(2025, 3, 13, 9, 30)),
        ("бүгін, 14:05", local(2025, 3, 14, 14, 5)),
        ("кеше", local(2025, 3, 13)),
        ("Кеше, 23:59", local(2025, 3, 13, 23, 59)),
        ("today", local(2025, 3, 14)),
        ("12 March 2025", local(2025, 3, 12)),
        ("12 Mar. 2025", local(2025, 3, 12)),
        ("March 12, 2025", local(2025, 3, 12)),
        ("Sept 3rd, 2024", local(2024, 9, 3)),
        # A year left out: the latest such day not after tomorrow.
        ("12 марта, 14:05", local(2025, 3, 12, 14, 5)),
        ("15 марта", local(2025, 3, 15)),
        ("20 декабря", local(2024, 12, 20)),
        # What machines write, with and without an offset.
        ("2020-12-01T14:02:00+06:00", datetime(2020, 12, 1, 8, 2, tzinfo=UTC)),
        ("2020-06-29T00:16:15+0300", datetime(2020, 6, 28, 21, 16, 15, tzinfo=UTC)),
        ("2020-12-03T18:47", local(2020, 12, 3, 18, 47)),
        ("2020-06-07T15:06Z", datetime(2020, 6, 7, 15, 6, tzinfo=UTC)),
        ("2025-03-12", local(2025, 3, 12)),
        # Localised RFC 822, as Russian feeds write pubDate.
        ("Пн, 24 сен 2018 19:42:40 +0300", datetime(2018, 9, 24, 16, 42, 40, tzinfo=UTC)),
        ("Mon, 24 Sep 2018 19:42:40 GMT", datetime(2018, 9, 24, 19, 42, 40, tzinfo=UTC)),
        # The first date in a longer text.
        ("Астана, 12 марта 2025. Аким области провёл встречу 14 марта.", local(2025, 3, 12)),
    ],
)
def test_dates_as_written(text: str, expected: datetime) -> None:
    assert find_local_date(text, now=NOW, zone=ALMATY) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Новости Караганды",
        "31 апреля 2025",  # no such day
        "30.02.2025",
        "12.13.2025",
        "Кеше Астанада жиын өтті",  # "yesterday" in running text, without a time
        "Вчера в Астане прошёл форум",
        "версия 1.12.03.2025",  # part of a longer dotted number
        "12 марта 1812",  # not a news date
        "25:61 12 марта",  # not a time either; and no year without `now`
    ],
)
def test_no_date(text: str) -> None:
    assert find_local_date(text, now=None, zone=ALMATY) is None
    if "марта" not in text:
        assert find_local_date(text, now=NOW, zone=ALMATY) is None


def test_relative_days_and_missing_years_need_now() -> None:
    for text in ("сегодня, 14:05", "кеше", "12 марта, 14:05"):
        assert find_local_date(text, now=None, zone=ALMATY) is None


def test_many_dates_that_do_not_resolve_cost_one_pass() -> None:
    text = "12 марта, кеше, 31.02.2025; " * 20_000 + "12.03.2025"
    started = time_module.perf_counter()
    assert find_local_date(text, now=None, zone=ALMATY) == local(2025, 3, 12)
    assert time_module.perf_counter() - started < 2  # ~0.5 s; half a minute when rescanned


def test_relative_days_are_days_in_the_zone() -> None:
    late = datetime(2025, 3, 14, 20, 30, tzinfo=UTC)  # already 15 March in Almaty
    assert find_local_date("сегодня, 01:10", now=late, zone=ALMATY) == local(2025, 3, 15, 1, 10)
    assert find_local_date("сегодня, 01:10", now=late, zone=UTC) == datetime(
        2025, 3, 14, 1, 10, tzinfo=UTC
    )


MINUTES = st.builds(time, st.integers(0, 23), st.integers(0, 59))
# Hypothesis takes naive bounds and attaches the zone itself.
NOW_UTC = st.datetimes(
    min_value=datetime(2000, 1, 1),  # noqa: DTZ001
    max_value=datetime(2090, 1, 1),  # noqa: DTZ001
    timezones=st.just(UTC),
)
# Each pattern as a site would print a local date and time (None: the pattern has no time).
Formatter = Callable[[date, time | None], str]
RU_MONTHS = "января февраля марта апреля мая июня июля августа сентября октября ноября декабря"
KK_MONTHS = "қаңтар ақпан наурыз сәуір мамыр маусым шілде тамыз қыркүйек қазан қараша желтоқсан"
EN_MONTHS = "January February March April May June July August September October November December"


def month(names: str, day: date) -> str:
    return names.split()[day.month - 1]


def clock(moment: time | None, before: str = ", ") -> str:
    return "" if moment is None else f"{before}{moment:%H:%M}"


FORMATS: dict[str, Formatter] = {
    "ru": lambda d, t: f"{d.day} {month(RU_MONTHS, d)} {d.year}{clock(t)}",
    "ru-year-word": lambda d, t: f"{d.day} {month(RU_MONTHS, d)} {d.year} года{clock(t, ' в ')}",
    "ru-time-first": lambda d, t: (
        f"{clock(t, '')}{', ' if t else ''}{d.day} {month(RU_MONTHS, d)} {d.year}"
    ),
    "numeric": lambda d, t: f"{d:%d.%m.%Y}{clock(t, ' ')}",
    "kk-year-first": lambda d, t: f"{d.year} жылғы {d.day} {month(KK_MONTHS, d)}{clock(t)}",
    "kk": lambda d, t: f"{d.day} {month(KK_MONTHS, d)} {d.year}{clock(t)}",
    "en": lambda d, t: f"{d.day} {month(EN_MONTHS, d)} {d.year}{clock(t)}",
    "en-us": lambda d, t: f"{month(EN_MONTHS, d)} {d.day}, {d.year}{clock(t, ' at ')}",
    "iso": lambda d, t: d.isoformat() + ("" if t is None else f"T{t:%H:%M}"),
}


@given(
    st.sampled_from(sorted(FORMATS)),
    st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31)),
    st.none() | MINUTES,
    st.sampled_from([ALMATY, MOSCOW, UTC]),
)
@example("kk-year-first", date(2025, 3, 12), time(14, 5), ALMATY)
@example("ru-time-first", date(2025, 5, 1), time(0, 0), ALMATY)  # «мая», midnight as a time
@example("numeric", date(2024, 2, 29), None, MOSCOW)
def test_absolute_dates_round_trip(name: str, day: date, moment: time | None, zone: tzinfo) -> None:
    written = FORMATS[name](day, moment)
    expected = datetime.combine(day, moment or time(), zone).astimezone(UTC)
    assert find_local_date(written, now=None, zone=zone) == expected
    assert find_local_date(f"Жаңалықтар · {written} · 1 234 қаралым", now=None, zone=zone) == (
        expected
    )


RELATIVE = {"сегодня": 0, "бүгін": 0, "today": 0, "вчера": 1, "кеше": 1, "yesterday": 1}


@given(
    st.sampled_from(sorted(RELATIVE)),
    NOW_UTC,
    MINUTES,
)
@example("кеше", datetime(2025, 3, 14, 19, 30, tzinfo=UTC), time(9, 30))  # 15 March in Almaty
def test_relative_days_round_trip(word: str, now: datetime, moment: time) -> None:
    day = now.astimezone(ALMATY).date() - timedelta(days=RELATIVE[word])
    expected = datetime.combine(day, moment, ALMATY).astimezone(UTC)
    assert find_local_date(f"{word}, {moment:%H:%M}", now=now, zone=ALMATY) == expected
    assert find_local_date(word.capitalize(), now=now, zone=ALMATY) == (
        datetime.combine(day, time(), ALMATY).astimezone(UTC)
    )
