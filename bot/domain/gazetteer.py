"""The gazetteer: every name that points at a region, loaded from TOML text.

Names are written once, in dictionary form; their inflections come from bot/domain/name_forms.py
and finding them in a text from bot/domain/name_scan.py. Kazakh names are also found written in
the Latin alphabets (bot/domain/latin_names.py), so those spellings need no listing.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from bot.domain.latin_names import latin_names
from bot.domain.name_forms import Name, NameKind, make_name, name_words, russian_adjective
from bot.domain.name_scan import Hit, Scanner
from bot.domain.taxonomy import NATIONAL, REGION_SLUGS
from bot.domain.words import Word

__all__ = ["Gazetteer", "Hit", "Name", "Publisher", "name_words", "parse_gazetteer"]

_ENTITY: Final = re.compile(r"gov\.kz/memleket/entities/([a-z0-9-]+)", re.IGNORECASE)
_REGION_KEYS: Final = frozenset(["entities", "names", "places", "cased", "weak"])


@dataclass(frozen=True, slots=True)
class Publisher:
    """What a source address says about the publisher: a regional akimat or a ministry."""

    entity: str | None
    region: str | None
    ministry: bool


@dataclass(frozen=True, eq=False)
class Gazetteer:
    """Names by region plus gov.kz entity hints; immutable apart from the scanner's cache."""

    regions: tuple[str, ...]
    names: tuple[Name, ...]
    entities: Mapping[str, str]
    ministries: frozenset[str]
    scanner: Scanner = field(repr=False)
    # Names opening with an initial ("N Kazakhstan"), by the text of the name after the initial
    # and the initial: the scanner indexes no one-letter word, which would start too many, so
    # the region tagger asks `initialled_name` wherever such a name is found.
    initialled: Mapping[str, Mapping[str, Name]] = field(default_factory=dict, repr=False)
    # What a user may type after /subscribe to mean the whole country.
    national_aliases: tuple[str, ...] = ()
    # The names users may type for each topic besides its display names, by topic slug.
    topic_synonyms: Mapping[str, tuple[str, ...]] = field(default_factory=dict, repr=False)

    def pieces(self, text: str) -> list[Word]:
        """The words of a text with the names each may begin (glued words are split first)."""
        return self.scanner.pieces(text)

    def scan(
        self, pieces: Sequence[Word], starts: Mapping[int, tuple[Name, ...]] | None = None
    ) -> list[Hit]:
        """Names found in a text, longest match first, each word used at most once (`starts`:
        the names each word may begin, by index, when the caller has them)."""
        return self.scanner.scan(pieces, starts)

    def initialled_name(self, hits: Sequence[Hit], k: int, pieces: Sequence[Word]) -> Name | None:
        """The name that hit `k` makes with a capital initial right before it (N Kazakhstan), if
        any; callers ask only of a name in `initialled`."""
        hit = hits[k]
        if not hit.start or (k and hits[k - 1].end == hit.start):
            return None
        before = pieces[hit.start - 1]
        return self.initialled[hit.name.text].get(before.low) if before.capital else None

    def regional_cues(self, pieces: Sequence[Word]) -> int:
        """How many words speak of a region without naming it ("the region", "облыста")."""
        return self.scanner.regional_cues(pieces)

    def publisher(self, source_url: str | None) -> Publisher:
        """Read a gov.kz `/entities/<slug>/` address: a regional akimat, a ministry or neither."""
        match = _ENTITY.search(source_url or "")
        if match is None:
            return Publisher(None, None, ministry=False)
        entity = match.group(1).lower()
        if entity in self.entities:
            return Publisher(entity, self.entities[entity], ministry=False)
        parts = entity.split("-")
        for part in parts:
            if part in self.entities:
                return Publisher(entity, self.entities[part], ministry=False)
        return Publisher(entity, None, ministry=parts[0] in self.ministries)


def parse_gazetteer(text: str) -> Gazetteer:
    """Build a gazetteer from TOML text; raise ValueError when the data is inconsistent."""
    data = tomllib.loads(text)
    regions: dict[str, Any] = data.get("regions", {})
    missing = [slug for slug in REGION_SLUGS if slug != NATIONAL and slug not in regions]
    unknown = [slug for slug in regions if slug not in REGION_SLUGS or slug == NATIONAL]
    if missing or unknown:
        raise ValueError(f"gazetteer regions: missing {missing}, unknown {unknown}")
    names: list[Name] = []
    entities: dict[str, str] = {}
    for slug, table in regions.items():
        extra = set(table) - _REGION_KEYS
        if extra:
            raise ValueError(f"gazetteer region {slug}: unknown keys {sorted(extra)}")
        names += _names(table.get("names", []), slug, "region")
        names += _names(table.get("places", []), slug, "place")
        names += _names(table.get("cased", []), slug, "place", cased=True)
        names += _names(table.get("weak", []), slug, "weak")
        for entity in table.get("entities", []):
            if entities.setdefault(entity, slug) != slug:
                raise ValueError(f"gazetteer entity {entity!r} names two regions")
    national: dict[str, Any] = data.get("national", {})
    names += _names(national.get("names", []), NATIONAL, "national")
    names += _names(national.get("institutions", []), NATIONAL, "institution")
    names += _names(data.get("regional", {}).get("names", []), None, "regional")
    names += _names(data.get("blocked", {}).get("names", []), None, "blocked")
    _check_unique(names)
    initialled = [name for name in names if _opens_with_initial(name)]
    names = [name for name in names if not _opens_with_initial(name)]
    names += latin_names(names)
    names += _adjectives(names)
    return Gazetteer(
        regions=tuple(slug for slug in REGION_SLUGS if slug != NATIONAL),
        names=tuple(names),
        entities=entities,
        ministries=frozenset(data.get("ministries", {}).get("entities", [])),
        scanner=Scanner.build(names),
        initialled=_by_name_after_initial(initialled, names),
        national_aliases=tuple(national.get("typed", [])),
    )


def _names(
    texts: list[str], slug: str | None, kind: NameKind, *, cased: bool = False
) -> list[Name]:
    return [make_name(text, slug, kind, cased=cased) for text in texts]


def _opens_with_initial(name: Name) -> bool:
    first = name_words(name.text)[0]
    return len(first) == 1 and first.isascii() and len(name.forms) > 1


def _by_name_after_initial(initialled: list[Name], names: list[Name]) -> dict[str, dict[str, Name]]:
    """Initialled names by the text of the name that follows the initial, then the initial."""
    texts = {name_words(name.text): name.text for name in names}
    out: dict[str, dict[str, Name]] = {}
    for name in initialled:
        initial, *rest = name_words(name.text)
        followed = texts.get(tuple(rest))
        if followed is None:
            raise ValueError(f"gazetteer name {name.text!r}: no name {' '.join(rest)!r}")
        out.setdefault(followed, {})[initial] = name
    return out


def _adjectives(names: list[Name]) -> list[Name]:
    """Russian adjectives of one-word place names (в Келесском районе), unless ambiguous or
    already listed (Карагандинский)."""
    taken = {name_words(name.text) for name in names}
    derived: dict[str, set[str | None]] = {}
    kinds: dict[str, NameKind] = {}
    for name in names:
        words = name_words(name.text)
        if len(words) != 1 or name.kind not in ("region", "place", "weak"):
            continue
        adjective = russian_adjective(words[0])
        if adjective is not None and (adjective,) not in taken:
            derived.setdefault(adjective, set()).add(name.slug)
            kinds[adjective] = name.kind
    return [
        name
        for adjective, slugs in derived.items()
        if len(slugs) == 1
        for name in _names([adjective], next(iter(slugs)), kinds[adjective])
    ]


def _check_unique(names: list[Name]) -> None:
    seen: dict[tuple[str, ...], Name] = {}
    for name in names:
        key = name_words(name.text)
        other = seen.setdefault(key, name)
        if other is not name:
            raise ValueError(
                f"gazetteer name {name.text!r} ({name.slug}) repeats {other.text!r} ({other.slug})"
            )
