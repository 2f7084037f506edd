"""Story facts: what survives translation and retelling of a news story.

A Kazakh release and its Russian retelling share almost no words, so a text signature cannot
match them; they share their facts: the figures with their units, the days, the towns, the
people (through a transliteration skeleton), the organisations, the region and the day of
publication. These are read once per article, from the words the tagger has already read
(places through the gazetteer's scan) and from two cheap regex passes (figures, capitalised
names), and stored beside the signature.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Final, NamedTuple

from bot.domain.figures import Day, Quantity, read_figures
from bot.domain.skeletons import skeleton

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from bot.domain.gazetteer import Gazetteer, Hit, Name
    from bot.domain.reading import ArticleWords

__all__ = ["Day", "Named", "Quantity", "StoryFacts", "extract_facts"]

_UPPER: Final = "A-ZА-ЯЁӘҒҚҢӨҰҮҺІÁǴŃÓÚÝÄÖÜŞÇĞİ"
_LOWER: Final = "a-zа-яёәғқңөұүһіáǵńóúýıäöüşçğū"
_MARKERS: Final = "ов|ев|ёв|ин|ov|ev|ұлы|улы|uly|қызы|кызы|kyzy|qyzy"
# A capitalised word that may be a surname (-ов, -ева, -ұлы, -uly …, maybe with a case ending),
# or an acronym of two to six capitals. Candidates only: `_person` and `_acronym` decide.
_NAME_LIKE: Final = re.compile(
    rf"[{_UPPER}](?:[{_UPPER}]{{1,5}}(?![{_LOWER}{_UPPER}])"
    rf"|[{_LOWER}]+(?:{_MARKERS})[{_LOWER}]{{0,4}}(?![{_LOWER}]))"
)
# Russian and Kazakh case endings (Cyrillic and Latin) a surname may take, after the -а of a
# woman's surname: Мұқашевтың, Тоқтарованың, Toqtarovanyń, Омаровым.
_CASE_ENDINGS: Final = (
    "у ым ом ой е ы ых ими ның нің дың дің тың тің ға ге қа ке на не ны ні ды ді ты ті да де "
    "та те нда нде дан ден тан тен нан нен мен бен пен nyń niń dyń diń tyń tiń ǵa ge qa ke na "
    "ne ny ni dy di ty ti da de ta te nda nde dan den tan ten nan nen men ben pen"
)
_SURNAME: Final = re.compile(
    rf"([^\W\d_]{{3,}}?(?:{_MARKERS}))(?:а|a)?(?:{'|'.join(_CASE_ENDINGS.split())})?"
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_NOT_SURNAMES: Final = _words(
    "магазин бензин берлин пекин кремлин керосин дельфин мандарин витамин"
)
_NOT_ORGANISATIONS: Final = _words("РК ҚР RK KZ ТОО АО ЖШС АҚ LLP JSC")
# Words of a place name that say what kind of place it is, not which one.
_GENERIC: Final = _words(
    "district city town village airport basin station район города город села село аэропорт "
    "имени ауданы аудан қаласы қала ауылы ауыл әуежайы"
)
# How many facts of each kind an article keeps: enough for any story, a bounded blob.
_MOST: Final = 16


class Named(NamedTuple):
    """A name as a comparable key (a skeleton, for a place prefixed by its region) and as it was
    written in the article."""

    key: str
    text: str


@dataclass(frozen=True, slots=True)
class StoryFacts:
    """What an article states that another telling of the same story would state too."""

    published: int  # the publication day, as date.toordinal()
    regions: tuple[str, ...]  # the tagger's regions, main one first
    places: tuple[Named, ...]  # towns, districts, villages and sites (not regions)
    quantities: tuple[Quantity, ...]
    days: tuple[Day, ...]
    people: tuple[Named, ...]
    organisations: tuple[Named, ...]

    @property
    def published_on(self) -> date:
        return date.fromordinal(self.published)


def extract_facts(
    text: ArticleWords, *, gazetteer: Gazetteer, regions: Sequence[str], published: date
) -> StoryFacts:
    """The story facts of an article already read by the tagger (`Tagger.read`)."""
    title, body = text.title_words, text.body_words
    hits = [
        *gazetteer.scan(title.words, _place_starts(title.starts)),
        *gazetteer.scan(body.words, _place_starts(body.starts)),
    ]
    both = f"{text.title}\n{text.body}"
    quantities, days = read_figures(both)
    people, organisations = _names(both, (title.starts, body.starts))
    return StoryFacts(
        published=published.toordinal(),
        regions=tuple(regions),
        places=_first(_places(hits)),
        quantities=tuple(quantities[:_MOST]),
        days=tuple(days[:_MOST]),
        people=_first(people),
        organisations=_first(organisations),
    )


def _names(
    text: str, starts: Sequence[Mapping[int, tuple[Name, ...]]]
) -> tuple[list[Named], list[Named]]:
    """The surnames and the acronyms of a text, each once; none spelled like a gazetteer name
    the text may hold (`starts`: the names its words may begin): Сәтбаев and Қонаев are towns,
    ВКО a region."""
    people: dict[str, Named] = {}
    organisations: dict[str, Named] = {}
    places: set[str] | None = None
    for found in _NAME_LIKE.finditer(text):
        word = found.group()
        acronym = word.isupper()
        named = _acronym(word) if acronym else _person(word)
        if named is None:
            continue
        if places is None:  # worked out only for a text that names someone
            places = {_first_word_skeleton(name.text) for names in _all(starts) for name in names}
        if named.key not in places:
            (organisations if acronym else people).setdefault(named.key, named)
    return list(people.values()), list(organisations.values())


def _all(
    starts: Sequence[Mapping[int, tuple[Name, ...]]],
) -> Iterable[tuple[Name, ...]]:
    """The names each word of the texts may begin, text after text."""
    for table in starts:
        yield from table.values()


@lru_cache(maxsize=1 << 14)
def _first_word_skeleton(name: str) -> str:
    return skeleton(name.split()[0])


def _place_starts(starts: Mapping[int, tuple[Name, ...]]) -> dict[int, tuple[Name, ...]]:
    """The words that may begin a town's name, with those names only: the scan then skips the
    region names, cues and national words that most starting words begin."""
    found = {}
    for index, names in starts.items():
        places = [name for name in names if name.kind == "place"]
        if places:  # the word's own tuple when it begins places only, as most such words do
            found[index] = names if len(places) == len(names) else tuple(places)
    return found


def _first(named: Iterable[Named]) -> tuple[Named, ...]:
    return tuple(named)[:_MOST]


def _places(hits: Sequence[Hit]) -> list[Named]:
    """The towns, districts and sites among the gazetteer's hits, each once, keyed by region
    and skeleton so that Теміртау, Темиртау and Temirtau are one place."""
    found: dict[str, Named] = {}
    for hit in hits:
        name = hit.name
        if name.kind != "place" or name.slug is None:
            continue
        key = _place_key(name.slug, name.text, adjective=any(form.adjective for form in name.forms))
        shown = name.text if name.text[:1].isupper() else hit.surface  # Екібастұз, not -да
        found.setdefault(key, Named(key, shown))
    return list(found.values())


@lru_cache(maxsize=1 << 14)
def _place_key(slug: str, text: str, *, adjective: bool) -> str:
    """A place's region and skeleton; remembered, as a few gazetteer names recur in every
    article (and their number bounds what is remembered)."""
    return f"{slug}:{skeleton(_core(text, adjective=adjective))}"


def _core(text: str, *, adjective: bool) -> str:
    """A place name without its generic words, a Russian adjective cut back to its name
    (Келесский район → Келес, Шардаринский → Шардар)."""
    words = [word for word in text.lower().replace("-", " ").split() if word not in _GENERIC]
    if adjective:
        words = [_adjective_stem(word) for word in words]
    return " ".join(words) or text


def _adjective_stem(word: str) -> str:
    for tail in ("инский", "инская", "инской", "ский", "ская", "ской", "ское"):
        if word.endswith(tail) and len(word) > len(tail) + 2:
            return word[: -len(tail)]
    return word


def _person(word: str) -> Named | None:
    """A surname in any of its case forms (Мұқашевтың → Мұқашев), or None."""
    low = word.lower()
    found = _SURNAME.fullmatch(low)
    if found is None or found.group(1) in _NOT_SURNAMES:
        return None
    base = found.group(1)
    if base.endswith(("ин", "in")) and len(base) < 6:
        return None
    return Named(skeleton(base), word[: len(base)])


def _acronym(word: str) -> Named | None:
    """An organisation's acronym (ЕНПФ, ENPF, ТЭЦ), or None for one that names no body."""
    if word in _NOT_ORGANISATIONS:
        return None
    key = skeleton(word)
    return Named(key, word) if len(key) >= 2 else None
