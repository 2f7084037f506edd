"""What people type after /time and /frequency, in three languages."""

from __future__ import annotations

from datetime import time

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.domain.schedule_input import parse_clock_time, parse_frequency


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8", time(8)),
        ("08", time(8)),
        ("0", time(0)),
        ("23", time(23)),
        ("08:30", time(8, 30)),
        ("8:30", time(8, 30)),
        ("20.30", time(20, 30)),
        ("20 30", time(20, 30)),
        ("20 : 30", time(20, 30)),
        ("2030", time(20, 30)),
        ("0805", time(8, 5)),
        ("20h30", time(20, 30)),
        ("  07:45\n", time(7, 45)),
        ("０８：３０", time(8, 30)),  # full-width digits from a phone keyboard
        ("23:59", time(23, 59)),
        ("00:00", time(0)),
        ("8am", time(8)),
        ("8 AM", time(8)),
        ("8pm", time(20)),
        ("8:30 p.m.", time(20, 30)),
        ("12am", time(0)),
        ("12pm", time(12)),
        ("12:15 am", time(0, 15)),
    ],
)
def test_parse_clock_time(text: str, expected: time) -> None:
    assert parse_clock_time(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "24",
        "24:00",
        "12:60",
        "8:5",  # 08:05 or 08:50?
        "830",
        "8:",
        "8.",
        ":30",
        "8:30:00",
        "-1",
        "13pm",
        "0am",
        "8 o'clock",
        "eight",
        "٨:٣٠",  # Arabic-Indic digits
        "8:30 8:45",
        "08-30",
        "12345",
    ],
)
def test_parse_clock_time_refuses(text: str) -> None:
    assert parse_clock_time(text) is None


@given(hour=st.integers(0, 23), minute=st.integers(0, 59))
def test_clock_time_round_trips_through_common_spellings(hour: int, minute: int) -> None:
    expected = time(hour, minute)
    for text in (f"{hour:02}:{minute:02}", f"{hour}:{minute:02}", f"{hour}.{minute:02}"):
        assert parse_clock_time(text) == expected
    twelve = hour % 12 or 12
    assert parse_clock_time(f"{twelve}:{minute:02} {'pm' if hour >= 12 else 'am'}") == expected


@given(st.text())
@example("9" * 5000)
def test_parse_clock_time_never_raises(text: str) -> None:
    parsed = parse_clock_time(text)
    assert parsed is None or (parsed.second == 0 and parsed.tzinfo is None)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["daily"], ("daily", None)),
        (["DAILY"], ("daily", None)),
        (["every", "day"], ("daily", None)),
        (["Ежедневно"], ("daily", None)),
        (["каждый", "день"], ("daily", None)),
        (["күн", "сайын"], ("daily", None)),
        (["кун", "сайын"], ("daily", None)),  # typed without a Kazakh layout
        (["weekdays"], ("weekdays", None)),
        (["по", "будням"], ("weekdays", None)),
        (["жұмыс", "күндері"], ("weekdays", None)),
        (["off"], ("off", None)),
        (["выкл"], ("off", None)),
        (["Өшіру"], ("off", None)),
        (["weekly", "mon"], ("weekly", 0)),
        (["weekly", "Monday"], ("weekly", 0)),
        (["weekly", "on", "fridays"], ("weekly", 4)),
        (["weekly", "sun."], ("weekly", 6)),
        (["еженедельно", "пн"], ("weekly", 0)),
        (["еженедельно", "по", "средам"], ("weekly", 2)),
        (["раз", "в", "неделю", "в", "пятницу"], ("weekly", 4)),
        (["апта", "сайын", "дүйсенбі"], ("weekly", 0)),
        (["апта", "сайын", "жұма"], ("weekly", 4)),
        (["жексенбі", "сайын"], ("weekly", 6)),
        (["дүйсенбі", "күні"], ("weekly", 0)),
        (["әр", "сәрсенбі"], ("weekly", 2)),
        (["ар", "сарсенби"], ("weekly", 2)),
        (["сенбi"], ("weekly", 5)),  # Latin i for the Kazakh і
        (["thursday"], ("weekly", 3)),
        (["every", "tuesday"], ("weekly", 1)),
        (["каждую", "субботу"], ("weekly", 5)),
        (["Воскресенье"], ("weekly", 6)),
        (["ср"], ("weekly", 2)),
        (["weekly  ", " wed"], ("weekly", 2)),
    ],
)
def test_parse_frequency(args: list[str], expected: tuple[str, int | None]) -> None:
    assert parse_frequency(args) == expected


@pytest.mark.parametrize(
    "args",
    [
        [],
        [""],
        ["weekly"],
        ["еженедельно"],
        ["weekly", "mon", "fri"],
        ["daily", "monday"],
        ["weekly", "funday"],
        ["hourly"],
        ["по"],
        ["сайын"],
        ["1"],
        ["weeklymon"],
    ],
)
def test_parse_frequency_refuses(args: list[str]) -> None:
    assert parse_frequency(args) is None


@given(st.lists(st.text(max_size=20), max_size=5))
def test_parse_frequency_never_raises_and_is_consistent(args: list[str]) -> None:
    parsed = parse_frequency(args)
    if parsed is not None:
        frequency, day = parsed
        assert (day is not None) == (frequency == "weekly")
        assert day is None or 0 <= day <= 6
