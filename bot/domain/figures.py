"""Figures of a news text, read alike in en/ru/kk: quantities with their units, and dates.

"1 200 семей", "1 200 отбасы" and "1,200 families" are one quantity (1200 family); "1,5 млрд
тенге" and "1.5 billion tenge" are 1.5e9 tenge; "15 марта", "15 наурызда" and "March 15" one
date. Years, clock times, ordinals and the digits of links or codes are not figures of a story.
One regex pass finds each run of digits with the few words after it; only those are read.
"""

from __future__ import annotations

import re
from typing import Final, NamedTuple

from bot.domain.number_runs import SPACES, Day, Number, numbers
from bot.domain.unit_words import BEGINNING, ENGLISH_MONTHS, MAY_MEAN, MEANINGS, NOTHING

__all__ = ["Day", "Quantity", "read_figures"]

_GAP: Final = f"[{SPACES}]"
_WORD: Final = r"[^\W\d_]+\.?"  # with the full stop of an abbreviation (тыс., млн.)
# Digits with their separators, an ending glued by a hyphen (150-ден, 13-ші, 2,000-seat), and
# up to four words or a symbol: a multiplier, fillers, a unit ("3 мыңнан астам жас жұмысқа").
_FIGURE: Final = re.compile(
    rf"([0-9][0-9{SPACES}.,:]*)(?:-([^\W\d_]+))?(?:{_GAP}*([%₸$€]|{_WORD}))?"
    rf"(?:{_GAP}+({_WORD}))?(?:{_GAP}+({_WORD}))?(?:{_GAP}+({_WORD}))?"
)
_FIRST_WORD: Final = 3  # the group of the first word; the figure's is 1, its ending's 2
_WORD_GROUPS: Final = range(_FIRST_WORD, _FIRST_WORD + 4)
_MONTH_BEFORE: Final = re.compile(r"([A-Za-z]+)\.?[ \u00a0]+$")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_ORDINAL_ENDINGS: Final = _words(
    "ші шы інші ыншы нші ншы й я е го му м ой th st nd rd shi shy inshi ynshy nshi nshy"
)
_YEAR_WORDS: Final = _words("жылы жылғы жылдың года году год г гг year jyly jylǵy jylgy")
_FILLERS: Final = 2  # words between a figure and its unit ("40 young teachers", "12 новых школ")
_NOT_BEFORE: Final = frozenset("/_-=#№")  # links, codes and numbered names, not figures
_CURRENCY_BEFORE: Final = {"$": "usd", "₸": "tenge", "€": "euro"}
_SPACES_OR_HYPHEN: Final = SPACES + "-"  # around the words that gave a figure its unit
# Words whose full stop shortens them ("12 тыс. тонн") rather than ending a sentence.
_ABBREVIATIONS: Final = _words("тыс млн млрд трлн кв куб г bn mln")


class Quantity(NamedTuple):
    """A figure with its unit ("" when none was recognised), as a value in that unit, and as
    written: the figure and the words after it that gave its unit and multiplier."""

    value: float
    unit: str
    figure: float
    words: str


def read_figures(text: str) -> tuple[list[Quantity], list[Day]]:
    """The quantities and days of a text, in order, each once."""
    quantities: dict[tuple[float, str], Quantity] = {}
    days: dict[Day, None] = {}
    for found in _FIGURE.finditer(text):
        start = found.start()
        run = found.group(1).rstrip(SPACES)
        digits = run.rstrip(".,:")  # "39915." ends a sentence; the words after it are not its
        before = text[start - 1] if start else ""
        glued = before in _NOT_BEFORE or before.isalpha()
        if digits.isdigit():  # the usual run: one number
            if glued:
                continue  # the digits of a link or a code ("/details/918301", "IQ361")
            number = Number(float(digits), start, start + len(digits), True, False)
            words = found if len(digits) == len(run) else None
            figures_read: tuple[Quantity | Day | None, ...] = (_read(text, number, words),)
        else:
            figures_read = _read_run(text, run, digits, start, glued, found)
        for figure in figures_read:
            if isinstance(figure, Day):
                days[figure] = None
            elif figure is not None:
                quantities.setdefault((figure.value, figure.unit), figure)
    return list(quantities.values()), list(days)


def _read_run(
    text: str, run: str, digits: str, start: int, glued: bool, found: re.Match[str]
) -> tuple[Quantity | Day | None, ...]:
    """The figures of a run of several numbers or a numeric date ("1 200", "2025, 14",
    13.01.2025) without the stops after it (`digits`); the words after it belong to its last
    number unless a clause ends first."""
    written = numbers(digits, start)[1 if glued else 0 :]
    words = None if len(digits) < len(run) else found
    last = len(written) - 1
    return tuple(
        number if isinstance(number, Day) else _read(text, number, words if k == last else None)
        for k, number in enumerate(written)
    )


def _read(text: str, number: Number, words: re.Match[str] | None) -> Quantity | Day | None:
    """The quantity or day a number is, from the words after it (`words`: the match of
    `_FIGURE` when they follow this number); None for a year or an ordinal."""
    after = _unit(number, words)
    if after is None or isinstance(after, Day):
        return after
    multiplier, unit, words_end = after
    value, start, end, plain, comma_thousands = number
    if unit == "":
        before = text[start - 1] if start else ""
        if before in _CURRENCY_BEFORE:
            unit = _CURRENCY_BEFORE[before]
        elif plain and value <= 31 and _latin_before(text, start):
            # "January 13": after no currency sign, and no year is a day (<= 31)
            month = _english_month_before(text, start)
            if month:
                return _day(number, month)
    if plain and 1900 <= value <= 2100 and unit in ("", "year"):
        return None
    figure = value
    if multiplier != 1.0:
        if comma_thousands:  # "1,250 млрд" is 1.25 billion
            figure = float(str(int(figure))[:-3] + "." + str(int(figure))[-3:])
        value = round(figure * multiplier, 6)
    if words_end == end:  # no word gave the unit or the multiplier
        return Quantity(value, unit, figure, "")
    shown = text[end:words_end].strip(_SPACES_OR_HYPHEN).removesuffix(".")
    return Quantity(value, unit, figure, shown)


def _unit(number: Number, words: re.Match[str] | None) -> tuple[float, str, int] | Day | None:
    """(multiplier, unit, end of the words that gave them) from the words after a figure; the
    day when a month follows; None after an ordinal ending (13-ші) or a year word."""
    multiplier, words_end, skipped = 1.0, number.end, 0
    if words is None:
        return multiplier, "", words_end
    groups = words.groups()  # group k of `_FIGURE` is groups[k - 1]
    ending = groups[1]
    if ending is not None:
        low = ending.lower()
        if low in _ORDINAL_ENDINGS:
            return None
        if low[:BEGINNING] in MAY_MEAN and (glued := MEANINGS[low]).unit is not None:
            return multiplier, glued.unit, words.end(2)
    for group in _WORD_GROUPS:
        word = groups[group - 1]
        if word is None:
            break
        stop = word[-1] == "."
        low = (word[:-1] if stop else word).lower()
        said = MEANINGS[low] if low[:BEGINNING] in MAY_MEAN else NOTHING
        if group == _FIRST_WORD:
            if said.month is not None:
                return _day(number, said.month)
            if number.plain and low in _YEAR_WORDS:
                return None
        if said.unit is not None:
            return multiplier, said.unit, words.end(group)
        if said.multiplier is not None and multiplier == 1.0:
            multiplier, words_end = said.multiplier, words.end(group)
        else:
            skipped += 1
        if skipped > _FILLERS or (stop and low not in _ABBREVIATIONS):
            break
    return multiplier, "", words_end


def _day(number: Number, month: int) -> Day | None:
    """The day of "15 марта" (None when the figure cannot be a day of a month)."""
    if number.plain and number.value.is_integer() and 1 <= number.value <= 31:
        return Day(month, int(number.value))
    return None


def _latin_before(text: str, start: int) -> bool:
    """Whether a Latin letter (or an abbreviation's full stop) stands before the space before
    a figure: a cheap test before `_english_month_before`."""
    return (
        start >= 2
        and text[start - 2].isascii()
        and (text[start - 2].isalpha() or text[start - 2] == ".")
    )


def _english_month_before(text: str, start: int) -> int:
    """The month of "January 13" (0 when the word before a figure is no English month)."""
    found = _MONTH_BEFORE.search(text, max(0, start - 12), start)
    if found is None:
        return 0
    return ENGLISH_MONTHS.get(found.group(1).lower(), 0)
