"""Kazakh gazetteer names in the Latin alphabets, derived from their Cyrillic spelling.

Қарағанды облысы is also written Qaraǵandy oblysy (the alphabet with acute letters), Qarağandı
oblısı (the 2021 one) and Qaragandy oblysy (no diacritics); bot/domain/kazakh_latin.py spells
them. A name gets one Latin name per spelling of its first word, which the scanner indexes, and
each later word takes every spelling at once (aýdany, audanı, audany), so a derived name costs
the scanner no more than a listed one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from bot.domain.kazakh_latin import latin_spellings
from bot.domain.name_forms import Name, NameKind, make_name, merged_form, name_words, word_form
from bot.domain.tokens import is_cyrillic, raw_tokens

# Words that make a name Russian, not Kazakh: such names get no Latin spelling.
_RUSSIAN_WORDS: Final = frozenset([
    "область", "район", "город", "озеро", "река", "курорт", "аэропорт", "университет", "имени",
    "станция", "в", "по", "во", "всей", "всех",
])  # fmt: skip
_RUSSIAN_LETTERS: Final = frozenset("ьъёщэю")

_Owner = tuple[str | None, NameKind]


def latin_names(names: Sequence[Name]) -> list[Name]:
    """The Latin names of the Kazakh names among `names`, of the same region and kind.

    Russian names (область, Карагандинская) get none; a spelling listed already, shared by two
    regions, or saying no more than its first word alone (Qaraǵandy oblysy) is left out.
    """
    taken = {name_words(name.text) for name in names}
    found: dict[tuple[str, ...], list[Name]] = {}
    for name in filter(_kazakh_cyrillic, names):
        for latin in _spelled(name):
            key = name_words(latin.text)
            if key not in taken:
                found.setdefault(key, []).append(latin)
    unique = [group[0] for group in found.values() if len({_owner(n) for n in group}) == 1]
    alone = {name_words(name.text): _owner(name) for name in [*names, *unique]}
    return [name for name in unique if not _says_no_more(name, alone)]


def _spelled(name: Name) -> list[Name]:
    """A name in Latin letters, once per spelling of its first word; each later word takes every
    spelling of its place in the name."""
    texts = [_as_read(text) for text in latin_spellings(name.text)]
    spellings = [name_words(text) for text in texts]
    out: list[Name] = []
    firsts: set[str] = set()
    for text, words in zip(texts, spellings, strict=True):
        if words[0] in firsts:
            continue
        firsts.add(words[0])
        alike = [other for other in spellings if len(other) == len(words)]
        later = (merged_form([other[j] for other in alike]) for j in range(1, len(words)))
        forms = (word_form(words[0]), *later)
        out.append(make_name(text, name.slug, name.kind, cased=name.cased, forms=forms))
    return out


def _owner(name: Name) -> _Owner:
    return name.slug, name.kind


def _says_no_more(name: Name, alone: dict[tuple[str, ...], _Owner]) -> bool:
    """Whether a name of several words says no more than its first word alone (Qaraǵandy oblysy
    and Qaraǵandy): the scanner would only try it in vain wherever the first word stands."""
    words = name_words(name.text)
    return len(words) > 1 and alone.get(words[:1]) == _owner(name)


def _as_read(spelling: str) -> str:
    """A spelling cut where the reader cuts words glued together: ШҚО is written ShQO, which
    reads as two words, Sh and QO."""
    return " ".join(raw_tokens(spelling))


def _kazakh_cyrillic(name: Name) -> bool:
    """Whether a name is Cyrillic and could be Kazakh: no Russian word, adjective or letter, and
    longer than two letters (ҚР in Latin letters would be a QR code)."""
    words = name_words(name.text)
    if not is_cyrillic(name.text.lower()) or sum(map(len, words)) <= 2:
        return False
    if any(form.adjective for form in name.forms) or _RUSSIAN_WORDS.intersection(words):
        return False
    return _RUSSIAN_LETTERS.isdisjoint(name.text.lower())
