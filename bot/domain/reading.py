"""Reading an article once for every tagger: tokens become `Word`s through one bounded memo.

Each distinct spelling is worked out once (region names it may begin, topic entries, dedup
shingles) and remembered, so reading an article costs one regex pass and one dictionary lookup
per token; the region and topic taggers and the dedup signature then read fields of the same
words instead of each looking every token up in a table of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from bot.domain.name_scan import Scanner
from bot.domain.shingles import word_shingles
from bot.domain.tokens import Memo, normalise, raw_tokens, split_glued
from bot.domain.topic_lexicon import TopicLexicon
from bot.domain.words import ReadText, Word

# Distinct spellings remembered: a news stream meets most of its vocabulary again within days,
# and the rest (names, figures) is cheap to work out afresh. About 250 bytes each.
_MEMO_LIMIT: Final = 250_000


@dataclass(frozen=True, slots=True)
class ArticleWords:
    """An article's title and body with their words, read once for every tagger."""

    title: str
    body: str
    title_words: ReadText
    body_words: ReadText


class WordReader:
    """Turns text into `Word`s for one gazetteer and topic lexicon, remembering each spelling."""

    def __init__(self, scanner: Scanner, lexicon: TopicLexicon) -> None:
        self._scanner = scanner
        self._lexicon = lexicon
        self._memo: Memo[str, Word] = Memo(self._word, _MEMO_LIMIT)

    def read(self, title: str, body: str) -> ArticleWords:
        """The words of an article's title and body."""
        return ArticleWords(title, body, self.read_text(title), self.read_text(body))

    def read_text(self, text: str) -> ReadText:
        """The words of one text, with their columns."""
        return ReadText.of(list(map(self._memo.__getitem__, raw_tokens(text))))

    def words(self, text: str) -> list[Word]:
        """The words of a text, in order; glued tokens ("KazakhstanA") count as their parts."""
        return self.read_text(text).words

    def _word(self, token: str) -> Word:
        parts = split_glued(token)
        if len(parts) == 1:
            return self._part(token)
        low = normalise(token)
        return Word(token, low, token[:1].isupper(), parts=tuple(map(self._part, parts)))

    def _part(self, token: str) -> Word:
        low, capital, starts, cue = self._scanner.name_facts(token)
        if low == token:
            low = token  # one string object for both fields: most tokens are lower-case already
        shingle, extra = word_shingles(low)
        topics = self._lexicon.resolve_word(low)
        return Word(token, low, capital, starts, cue, topics, shingle, extra)
