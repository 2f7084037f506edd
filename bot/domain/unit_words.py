"""The words that follow a figure in en/ru/kk news: units, multipliers and months.

"1 200 семей", "1 200 отбасы" and "1,200 families" carry one fact only when the unit word is
read as one unit; the same for "12 тыс. тонн" / "12 мың тонна" / "12 thousand tonnes" and
"15 марта" / "15 наурыз" / "15 March". Words are matched by stem with a short ending (Kazakh
stacks case endings: шақырымнан, оқушыларға), or exactly when the stem is too short to be safe.
Every Cyrillic entry is also matched in the Latin spellings of Kazakh (shaqyrym, mıllıard).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, NamedTuple

from bot.domain.kazakh_latin import latin_spellings
from bot.domain.tokens import Memo, is_cyrillic

# The longest ending a word may add to a stem: "оқушы" + "ларға", "мектеп" + "терде".
_MAX_ENDING: Final = 5
_MAX_SHORT_ENDING: Final = 3  # for stems of three letters (сем-ей, дом-ов)

# unit: (stems, exact words). Units are canonical names shared by the three languages.
_UNITS: Final[dict[str, tuple[str, str]]] = {
    "percent": ("percent процент пайыз", "% pct"),
    "tenge": ("tenge тенге теңге", "тг ₸ kzt"),
    "usd": ("dollar доллар", "$ usd"),
    "euro": ("euro евро", "€ eur"),
    "tonne": ("tonne тонн", "t т tons ton"),
    "hectare": ("hectare гектар", "ha га"),
    "km": ("kilomet километр шақырым шакырым", "km км"),
    "metre": ("metre meter метр", "m м"),
    "m2": ("square квадрат шаршы", "кв m² м² sq"),
    "m3": ("cubic кубометр текше", "куб m³ м³"),
    "mw": ("megawatt мегаватт", "mw мвт"),
    "kw": ("kilowatt киловатт", "kw квт kwh"),
    "family": ("famil household домохозяйств отбасы", "семей семьи семьям семья семью"),
    "person": (
        "people person resident inhabitant worker employee человек жител рабоч тұрғын жұмысшы",
        "адам адамға адамды",
    ),
    "job": ("job workplace жұмыс", ""),
    "seat": ("place seat орын", "мест места место"),
    "student": ("student pupil schoolchild учени учащ школьник студент оқушы", ""),
    "child": ("child children ребен ребён", "детей дети детям бала балаға балалар балаларға"),
    "spectator": ("spectator viewer зрител көрермен", ""),
    "bed": ("bed коек койк төсек", ""),
    "teacher": ("teacher учител педагог мұғалім ұстаз", ""),
    "doctor": ("doctor physician врач дәрігер", ""),
    "school": ("school школ мектеп", ""),
    "kindergarten": ("kindergarten детсад балабақша", "сад сада садов садика садиков"),
    "village": ("village settlement населенн ауыл", "сел села сёл елді"),
    "apartment": ("apartment flat квартир пәтер", ""),
    "house": ("house home", "дом дома домов үй үйі үйлер"),
    "bus": ("bus автобус", ""),
    "camera": ("camera камер", ""),
    "head": ("head cow cattle голов коров сиыр", "бас"),
    "tree": ("tree seedling сажен дерев көшет ағаш", ""),
    "project": ("project проект жоба", ""),
    "enterprise": ("enterprise company business предприят компани кәсіпорын", ""),
    "subscriber": ("subscriber абонент", ""),
    "flight": ("flight рейс", ""),
    "station": ("station станци бекет", ""),
    "vehicle": ("vehicle автомобил машин көлік", "car cars"),
    "year": ("years лет", "year жыл жылға жасқа жастағы жасар"),
    "month": ("month месяц", "ай айға айда"),
    "day": ("days дней сутк", "day күн күнге күнде дня день"),
    "hour": ("hour час сағат", ""),
    "minute": ("minute минут", ""),
    "times": ("times", "раз рет раза"),
}
# Units that retellings swap for one another: a "school for 1,200 pupils" is a "школа на 1 200
# мест" and a "1 200 орындық мектеп"; a hospital has "500 коек" or "500 мест"; "300 people will
# find jobs" is "300 жұмыс орны". Figures in such units tie two tellings; only figures in one
# unit can contradict each other.
_KINDS: Final = {"student": "seat", "child": "seat", "bed": "seat", "job": "person"}
# Units of time and repetition: facts worth sharing, but a retelling rounds them ("a year" for
# "12 months"), so they never veto a merge.
MINOR_UNITS: Final = frozenset(["year", "month", "day", "hour", "minute", "times"])

_MULTIPLIERS: Final[dict[float, tuple[str, str]]] = {
    1e3: ("thousand тысяч мың", "тыс k"),
    1e6: ("million миллион", "млн mln"),
    1e9: ("billion миллиард", "млрд bn bln"),
    1e12: ("trillion триллион", "трлн tn"),
}
# Stems that look like a unit but are not one: a figure is followed by them only in passing.
_NOT_UNITS: Final = "местн орында детск домаш ауылшар бастал басқа ученическ"

_MONTHS: Final[tuple[str, ...]] = (
    "january январ қаңтар",
    "february феврал ақпан",
    "march март наурыз",
    "april апрел сәуір",
    "may мая май мамыр",
    "june июн маусым",
    "july июл шілде",
    "august август тамыз",
    "september сентябр қыркүйек",
    "october октябр қазан",
    "november ноябр қараша",
    "december декабр желтоқсан",
)
_MONTH_ABBREVIATIONS: Final = "jan feb mar apr may jun jul aug sep sept oct nov dec"


def same_kind(a: str, b: str) -> bool:
    """Whether two units may name one figure in two tellings (see `_KINDS`)."""
    return a == b or _KINDS.get(a, a) == _KINDS.get(b, b)


class Meaning(NamedTuple):
    """What a word after a figure says: a unit, a multiplier, a month, or nothing (all None)."""

    unit: str | None = None
    multiplier: float | None = None
    month: int | None = None
    blocked: bool = False


NOTHING: Final = Meaning()


def _table() -> tuple[dict[str, Meaning], dict[str, Meaning]]:
    stems: dict[str, Meaning] = {}
    exact: dict[str, Meaning] = {}
    for unit, (unit_stems, words) in _UNITS.items():
        stems.update(dict.fromkeys(unit_stems.split(), Meaning(unit=unit)))
        exact.update(dict.fromkeys(words.split(), Meaning(unit=unit)))
    for factor, (factor_stems, words) in _MULTIPLIERS.items():
        stems.update(dict.fromkeys(factor_stems.split(), Meaning(multiplier=factor)))
        exact.update(dict.fromkeys(words.split(), Meaning(multiplier=factor)))
    for number, names in enumerate(_MONTHS, start=1):
        stems.update(dict.fromkeys(names.split(), Meaning(month=number)))
    stems.update(dict.fromkeys(_NOT_UNITS.split(), Meaning(blocked=True)))
    return _with_latin(stems), _with_latin(exact)


def _with_latin(table: dict[str, Meaning]) -> dict[str, Meaning]:
    """The table plus the Kazakh Latin spellings of its Cyrillic words (Latin words first)."""
    latin = {
        spelling.lower(): found
        for word, found in table.items()
        if is_cyrillic(word)
        for spelling in latin_spellings(word)
    }
    return latin | table


_STEMS, _EXACT = _table()
_STEM_LENGTHS: Final = sorted({len(stem) for stem in _STEMS}, reverse=True)
_SHORTEST_STEM: Final = _STEM_LENGTHS[-1]
# The beginnings of all stems: most words after a figure begin none, and are refused at once.
_STEM_BEGINNINGS: Final = frozenset(stem[:_SHORTEST_STEM] for stem in _STEMS)
ENGLISH_MONTHS: Final[Mapping[str, int]] = {
    **{names.split()[0]: number for number, names in enumerate(_MONTHS, start=1)},
    **{name: number for number, name in enumerate(_MONTH_ABBREVIATIONS.split()[:8], start=1)},
    **{name: number for number, name in enumerate(_MONTH_ABBREVIATIONS.split()[9:], start=9)},
    "sep": 9,
}


def meaning(word: str) -> Meaning:
    """What a lower-case word following a figure means (`NOTHING` for any other word)."""
    found = _EXACT.get(word)
    if found is not None:
        return found
    if word[:_SHORTEST_STEM] not in _STEM_BEGINNINGS:
        return NOTHING
    size = len(word)
    for length in _STEM_LENGTHS:
        if length > size:
            continue
        limit = _MAX_SHORT_ENDING if length <= 3 else _MAX_ENDING
        if size - length > limit:
            break
        found = _STEMS.get(word[:length])
        if found is not None:
            return NOTHING if found.blocked else found
    return NOTHING


# A word whose first `BEGINNING` letters are none of these means nothing (`meaning` finds no
# exact word and no stem): most words after a figure are told so by one set lookup, no call.
BEGINNING: Final = _SHORTEST_STEM
MAY_MEAN: Final = _STEM_BEGINNINGS | {word[:BEGINNING] for word in _EXACT}
# `meaning` of the words that pass `MAY_MEAN`, remembered: a hit is one dictionary lookup at C
# speed, and these words are few (units, multipliers, months and words that begin alike).
MEANINGS: Final[Memo[str, Meaning]] = Memo(meaning, 1 << 14)
