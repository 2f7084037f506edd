"""Which words of a text may start a gazetteer name or a topic entry: one Aho-Corasick automaton.

The automaton holds the stem of every name's first word and the first word of every topic
entry (a stem, or an exact word), each behind a space, so that it matches only where a word
begins; run over a text's normal forms joined by single spaces, it finds in one pass every word
worth a lookup. Most words start nothing and are never looked up; the hits are then checked
with the names' forms and the entries' phrases (bot.domain.name_scan, bot.domain.topic_lexicon).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import ahocorasick  # type: ignore[import-not-found]


class WordStarts:
    """The automaton of a gazetteer's first stems and a topic lexicon's first words."""

    def __init__(self, *, stems: Iterable[str], exact: Iterable[str]) -> None:
        """`stems`: prefixes a word may begin with; `exact`: words that count only whole."""
        # A word that begins with a stem begins with any stem that begins that one, and an exact
        # word a stem begins is found by the stem: keeping the shortest gives one hit per word.
        prefixes = set(stems)
        shortest = {s for s in prefixes if not any(s[:cut] in prefixes for cut in range(1, len(s)))}
        whole = {w for w in exact if not any(w[:cut] in shortest for cut in range(1, len(w) + 1))}
        automaton: Any = ahocorasick.Automaton()
        # The value of a key is its length: where a match ends tells where its word begins.
        for stem in shortest:
            automaton.add_word(f" {stem}", len(stem) + 1)
        for word in whole:
            automaton.add_word(f" {word} ", len(word) + 2)
        automaton.make_automaton()
        self._automaton = automaton

    def find(self, normal_text: str) -> list[int]:
        """The indexes (ascending) of the words of `normal_text` (normal forms joined by single
        spaces) that begin with a stem or are one of the exact words."""
        found: list[int] = []
        index = begin = 0  # the index of the word that begins at `begin`
        for end, length in self._automaton.iter(f" {normal_text} "):
            start = end + 1 - length  # where the matched word begins
            if start != begin or not found:  # a word's first hit
                index += normal_text.count(" ", begin, start)
                begin = start
                found.append(index)
        return found
