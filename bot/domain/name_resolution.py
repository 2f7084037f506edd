"""What a user types after /subscribe, resolved to a region or topic slug.

Names in English, Russian or Kazakh, any case, inflected, transliterated or with a small typo
resolve; anything else yields no slug and the closest few names as suggestions.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Final, Literal

from bot.domain.gazetteer import Gazetteer, name_words
from bot.domain.taxonomy import NATIONAL, REGION_NAMES, TOPIC_NAMES

Kind = Literal["region", "topic"]
MAX_SUGGESTIONS: Final = 3

_FILLER: Final = frozenset(
    ["в", "во", "г", "город", "city", "of", "the", "қ", "қаласы", "қаласында"]
)


@dataclass(frozen=True, slots=True)
class Target:
    """A subscribable thing: a region (or `national`) or a topic."""

    kind: Kind
    slug: str


@dataclass(frozen=True, slots=True)
class Resolution:
    """The slug a name resolves to, or None with the closest names as suggestions."""

    target: Target | None
    suggestions: tuple[Target, ...] = ()

    @property
    def slug(self) -> str | None:
        return self.target.slug if self.target else None

    @property
    def kind(self) -> Kind | None:
        return self.target.kind if self.target else None


@dataclass(frozen=True, slots=True)
class _Index:
    exact: dict[str, Target]
    fuzzy: tuple[tuple[str, Target], ...]


def resolve_name(gazetteer: Gazetteer, text: str) -> Resolution:
    """Resolve a typed name: exact, then inflected, then transliterated or misspelt."""
    found = resolve_exact(gazetteer, text)
    if found is not None:
        return Resolution(found)
    return _fuzzy(_index(gazetteer), skeleton(" ".join(name_words(text))))


def resolve_exact(gazetteer: Gazetteer, text: str) -> Target | None:
    """A name as written or inflected, without typo tolerance (for joining several words)."""
    index = _index(gazetteer)
    words = name_words(text)
    for key in (" ".join(words), " ".join(word for word in words if word not in _FILLER)):
        if key in index.exact:
            return index.exact[key]
    return _inflected(gazetteer, text)


def parse_deep_link_payload(gazetteer: Gazetteer, payload: str) -> list[Target]:
    """Slugs of a /start payload such as "karaganda_transport" (no slug contains "_")."""
    regions = {*gazetteer.regions, NATIONAL}
    targets: list[Target] = []
    for part in payload.strip().lower().split("_"):
        target = (
            Target("region", part)
            if part in regions
            else Target("topic", part)
            if part in TOPIC_NAMES
            else None
        )
        if target is not None and target not in targets:
            targets.append(target)
    return targets


def _inflected(gazetteer: Gazetteer, text: str) -> Target | None:
    """A region named in an inflected form ("Карагандинской области", "в Шымкенте")."""
    pieces = gazetteer.pieces(text.title())  # users type in any case; proper names need a capital
    hits = gazetteer.scan(pieces)
    covered = sum(hit.end - hit.start for hit in hits)
    filler = sum(1 for piece in pieces if piece.low in _FILLER)
    slugs = {hit.name.slug for hit in hits}
    if not hits or covered + filler < len(pieces) or len(slugs) != 1:
        return None
    if any(hit.name.kind in ("blocked", "regional", "weak") for hit in hits):
        return None
    slug = hits[0].name.slug
    return Target("region", slug) if slug is not None else None


def _fuzzy(index: _Index, typed: str) -> Resolution:
    if not typed:
        return Resolution(None)
    limit = 1 if len(typed) <= 6 else 2
    ranked: list[tuple[float, Target]] = []
    for candidate, target in index.fuzzy:
        if abs(len(candidate) - len(typed)) > max(limit, 3) and not candidate.startswith(typed):
            continue
        distance = float(edit_distance(typed, candidate))
        if len(typed) >= 3 and candidate.startswith(typed):
            distance = min(distance, 1.5)
        ranked.append((distance, target))
    ranked.sort(key=lambda item: item[0])
    best = [target for distance, target in ranked if distance == ranked[0][0]] if ranked else []
    if ranked and ranked[0][0] <= limit and len(set(best)) == 1:
        return Resolution(best[0])
    loose = max(2, len(typed) // 2)
    suggestions: list[Target] = []
    for distance, target in ranked:
        if distance <= loose and target not in suggestions:
            suggestions.append(target)
    return Resolution(None, tuple(suggestions[:MAX_SUGGESTIONS]))


@lru_cache(maxsize=4)
def _index(gazetteer: Gazetteer) -> _Index:
    """Every name a user may type, by normalised words and by transliteration skeleton."""
    exact: dict[str, Target] = {}
    fuzzy: list[tuple[str, Target]] = []

    def add(text: str, target: Target, *, typo_tolerant: bool = True) -> None:
        key = " ".join(name_words(text))
        if key:
            exact.setdefault(key, target)
        sketch = skeleton(key)
        if typo_tolerant and len(sketch) >= 4:
            fuzzy.append((sketch, target))

    for slug, names in REGION_NAMES.items():
        for text in (slug, *names):
            add(text, Target("region", slug))
    for text in gazetteer.national_aliases:  # seeds/regions.toml, [national] typed
        add(text, Target("region", NATIONAL))
    for slug, names in TOPIC_NAMES.items():
        for text in (slug, *names, *gazetteer.topic_synonyms.get(slug, ())):
            add(text, Target("topic", slug))
    for name in gazetteer.names:
        if name.slug is not None and name.slug != NATIONAL and name.kind in ("region", "place"):
            add(name.text, Target("region", name.slug), typo_tolerant=name.kind == "region")
    return _Index(exact, tuple(fuzzy))


_CYRILLIC_TO_LATIN: Final = str.maketrans(
    "абвгғдеёзийкқлмнңоөпрстуұүфхһыіэäöüıqxyw",
    "abvggdeeziikklmnnooprstuuufhhiieaouikhiv",
    " ъь",
) | str.maketrans({"ә": "a", "ж": "j", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sh", "ю": "iu",
                   "я": "ia", "ğ": "g", "ş": "sh"})  # fmt: skip
_DIGRAPHS: Final = (("dzh", "j"), ("zh", "j"), ("kh", "h"), ("gh", "g"))


def skeleton(text: str) -> str:
    """A transliteration-blind spelling: Qaraghandy, Karagandy and Қарағанды come out alike."""
    latin = text.lower()
    for digraph, single in _DIGRAPHS:
        latin = latin.replace(digraph, single)
    latin = latin.translate(_CYRILLIC_TO_LATIN)
    for digraph, single in _DIGRAPHS:
        latin = latin.replace(digraph, single)
    out: list[str] = []
    for char in latin:
        if char.isalnum() and (not out or out[-1] != char):
            out.append(char)
    return "".join(out)


def edit_distance(a: str, b: str) -> int:
    """Damerau–Levenshtein distance (optimal string alignment): a swap of neighbours costs 1."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, 1):
            cost = char_a != char_b
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]
