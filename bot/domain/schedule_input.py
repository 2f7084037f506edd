"""Reading what people type after /time and /frequency, in English, Russian and Kazakh.

Both parsers return None for anything they are not sure about, so the handler can answer with
usage help instead of guessing: `8:5` could mean 08:05 or 08:50, so it is refused.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import time
from typing import Final, TypeVar

from bot.domain.schedule import Frequency

_T = TypeVar("_T")

_CLOCK: Final = re.compile(
    r"(?P<hour>[0-9]{1,2})"
    r"(?:(?:\s*[:.]\s*|\s+|h)(?P<minute>[0-9]{2}))?"
    r"\s*(?P<half>[ap]\.?\s*m\.?)?",
    re.IGNORECASE,
)
_COMPACT: Final = re.compile(r"(?P<hour>[0-9]{2})(?P<minute>[0-9]{2})")
MAX_TIME_CHARS: Final = 32  # "08 : 30 p. m." with room to spare; longer text is not a time


def parse_clock_time(text: str) -> time | None:
    """A wall-clock time from `8`, `08:30`, `20.30`, `20 30`, `2030`, `8am`, `8:30 p.m.`.

    Minutes need two digits; 24:00, 12:60, `13pm` and `0am` are refused, and so is anything
    longer than MAX_TIME_CHARS (the regular expressions allow two digits per number anyway).
    """
    if len(text) > MAX_TIME_CHARS:
        return None
    cleaned = unicodedata.normalize("NFKC", text).strip()
    match = _CLOCK.fullmatch(cleaned) or _COMPACT.fullmatch(cleaned)
    if match is None:
        return None
    hour = int(match["hour"])
    minute = int(match["minute"] or 0)
    half = match.groupdict().get("half")
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half.lower().startswith("p") else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


# Kazakh letters often typed with their Russian look-alikes (no Kazakh keyboard layout).
_KAZAKH_FOLD: Final = str.maketrans("әғқңөұүһі", "агкноуухи") | {ord("ё"): "е", ord("i"): "и"}
_PUNCTUATION: Final = re.compile(r"[^\w\s]+")

_DAILY: Final = ("daily", "every day", "everyday", "ежедневно", "каждый день", "күн сайын", "күнде")
_WEEKDAYS: Final = (
    "weekdays",
    "on weekdays",
    "workdays",
    "working days",
    "по будням",
    "будни",
    "в будни",
    "рабочие дни",
    "по рабочим дням",
    "жұмыс күндері",
)
_OFF: Final = (
    "off",
    "stop",
    "never",
    "disable",
    "выкл",
    "выключить",
    "отключить",
    "никогда",
    "өшіру",
    "өшір",
    "тоқтату",
)
_WEEKLY: Final = ("weekly", "once a week", "еженедельно", "раз в неделю", "апта сайын")
_DAY_NAMES: Final[tuple[tuple[str, ...], ...]] = (
    ("mon", "monday", "mondays", "пн", "понедельник", "понедельникам", "дс", "дүйсенбі"),
    ("tue", "tues", "tuesday", "tuesdays", "вт", "вторник", "вторникам", "сс", "сейсенбі"),
    ("wed", "wednesday", "wednesdays", "ср", "среда", "среду", "средам", "сәрсенбі"),
    (
        "thu",
        "thur",
        "thurs",
        "thursday",
        "thursdays",
        "чт",
        "четверг",
        "четвергам",
        "бс",
        "бейсенбі",
    ),
    ("fri", "friday", "fridays", "пт", "пятница", "пятницу", "пятницам", "жм", "жұма"),
    ("sat", "saturday", "saturdays", "сб", "суббота", "субботу", "субботам", "сенбі"),
    ("sun", "sunday", "sundays", "вс", "воскресенье", "воскресеньям", "жс", "жексенбі"),
)


def _fold(text: str) -> str:
    """Lower-case words without punctuation, Kazakh letters folded to their look-alikes."""
    lowered = unicodedata.normalize("NFC", text).casefold().translate(_KAZAKH_FOLD)
    return " ".join(_PUNCTUATION.sub(" ", lowered).split())


def _table(groups: Iterable[tuple[Iterable[str], _T]]) -> dict[str, _T]:
    """Folded word -> meaning; a word that folds onto two meanings fails at import."""
    table: dict[str, _T] = {}
    for words, meaning in groups:
        for word in words:
            if table.setdefault(_fold(word), meaning) != meaning:
                raise ValueError(f"{word!r} means two things")
    return table


# Words that may surround a day name: "every monday", "по понедельникам", "дүйсенбі күні".
_FILLERS: Final = frozenset(
    _fold(word)
    for word in (
        "on",
        "every",
        "each",
        "в",
        "во",
        "по",
        "каждый",
        "каждую",
        "каждое",
        "әр",
        "күні",
        "сайын",
    )
)
_PHRASES: Final[dict[str, Frequency]] = _table(
    [(_DAILY, "daily"), (_WEEKDAYS, "weekdays"), (_OFF, "off")]
)
_WEEKLY_PREFIXES: Final = sorted((_fold(w) for w in _WEEKLY), key=len, reverse=True)
_DAYS: Final[dict[str, int]] = _table((names, day) for day, names in enumerate(_DAY_NAMES))


def parse_frequency(args: list[str]) -> tuple[Frequency, int | None] | None:
    """`daily | weekdays | weekly <day> | off` (or a bare day, meaning weekly) in any language.

    Returns the frequency and, for weekly, the day (0 = Monday .. 6 = Sunday); None when the
    words are unknown, or weekly names no day or several.
    """
    text = _fold(" ".join(args))
    if text in _PHRASES:
        return _PHRASES[text], None
    for prefix in _WEEKLY_PREFIXES:
        if text == prefix or text.startswith(prefix + " "):
            text = text[len(prefix) :]
            break
    day = _DAYS.get(" ".join(word for word in text.split() if word not in _FILLERS))
    return None if day is None else ("weekly", day)
