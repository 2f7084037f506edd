"""Reading an article once for every tagger: its words, what each may start, its shingles.

Articles are read in batches. Each text is split into tokens (bot.domain.tokens), and the
batch's normal forms come from one pass of string methods over all its tokens. One automaton run
over those (bot.domain.word_starts) picks the few words that may start a gazetteer name or a
topic entry; only they become `Word`s at once, through a bounded memo of spellings, and any
other word is made when a tagger asks for it. The dedup shingles of the whole batch come from
one numpy pass (bot.domain.shingles).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain, pairwise
from typing import Final

from bot.domain.name_forms import Name
from bot.domain.name_scan import Scanner
from bot.domain.shingles import U32, shingles_of
from bot.domain.tokens import Memo, add_raw_tokens, normal_text
from bot.domain.topic_lexicon import Resolved, TopicLexicon
from bot.domain.word_starts import WordStarts
from bot.domain.words import CUE, ReadText, TextWords, Word, plain_word

# Articles are read in batches of about this many characters (about 75 articles of the usual
# length), which spreads the fixed cost of each pass over many texts while its strings and
# arrays stay in the processor's last cache.
_BATCH_CHARS: Final = 150_000
# Distinct spellings remembered: a news stream meets most of its vocabulary again within days,
# and the rest (names, figures) is cheap to work out afresh. About 250 bytes each.
_MEMO_LIMIT: Final = 250_000


@dataclass(frozen=True, slots=True)
class ArticleWords:
    """An article's title and body with their words, read once for every tagger, and the
    shingles of both for the dedup signature."""

    title: str
    body: str
    title_words: ReadText
    body_words: ReadText
    shingles: U32


class WordReader:
    """Turns text into `Word`s for one gazetteer and topic lexicon, remembering each spelling."""

    def __init__(self, scanner: Scanner, lexicon: TopicLexicon) -> None:
        self._scanner = scanner
        self._lexicon = lexicon
        self._starts = WordStarts(
            stems=chain(scanner.first_stems(), lexicon.stems), exact=lexicon.exact
        )
        self._memo: Memo[str, Word] = Memo(self._word, _MEMO_LIMIT)
        self._plain: Memo[str, Word] = Memo(plain_word, _MEMO_LIMIT)

    def read(self, title: str, body: str) -> ArticleWords:
        """The words of an article's title and body."""
        return self._read_batch([(title, body)])[0]

    def read_many(self, articles: Iterable[tuple[str, str]]) -> Iterator[ArticleWords]:
        """The words of many articles (title, body), in order (see `read_batches`)."""
        return chain.from_iterable(self.read_batches(articles))

    def read_batches(self, articles: Iterable[tuple[str, str]]) -> Iterator[list[ArticleWords]]:
        """The words of many articles (title, body), in order, some dozens at a time. Lazy, so
        only one batch of read articles is alive at a time."""
        batch: list[tuple[str, str]] = []
        size = 0
        for title, body in articles:
            batch.append((title, body))
            size += len(title) + len(body)
            if size >= _BATCH_CHARS:
                yield self._read_batch(batch)
                batch, size = [], 0
        if batch:
            yield self._read_batch(batch)

    def read_text(self, text: str) -> ReadText:
        """The words of one text."""
        return self._read_texts([text])[0][0]

    def words(self, text: str) -> list[Word]:
        """The words of a text, in order."""
        return list(self.read_text(text).words)

    def _read_batch(self, batch: list[tuple[str, str]]) -> list[ArticleWords]:
        texts, normal, bounds = self._read_texts(list(chain.from_iterable(batch)))
        shingles = shingles_of(normal, bounds[::2])  # an article's title and body are adjacent
        return [
            ArticleWords(title, body, texts[2 * k], texts[2 * k + 1], shingles[k])
            for k, (title, body) in enumerate(batch)
        ]

    def _read_texts(self, texts: list[str]) -> tuple[list[ReadText], str, list[int]]:
        """The words of each text; the normal forms of all of them, joined by single spaces, and
        where each text's words begin and end among those (one bound more than texts)."""
        surfaces: list[str] = []  # the tokens of all the texts
        bounds = [0]
        for text in texts:
            add_raw_tokens(text, surfaces)
            bounds.append(len(surfaces))
        normal = normal_text(surfaces)
        found = self._starts.find(normal)
        made = list(map(self._memo.__getitem__, map(surfaces.__getitem__, found)))
        known = dict(zip(found, made, strict=True))  # shared by the batch's texts
        read = []
        for first, end in pairwise(bounds):
            low, high = bisect_left(found, first), bisect_left(found, end)
            starts: dict[int, tuple[Name, ...]] = {}
            topics: dict[int, Resolved] = {}
            for i, word in zip(found[low:high], made[low:high], strict=True):
                if word.starts:
                    starts[i - first] = word.starts
                if word.topics is not None:
                    topics[i - first] = word.topics
            words = TextWords(surfaces, known, first, end, self._plain.__getitem__)
            read.append(ReadText(words, starts, sum(map(CUE, made[low:high])), topics))
        return read, normal, bounds

    def _word(self, token: str) -> Word:
        low, capital, starts, cue = self._scanner.name_facts(token)
        return Word(token, low, capital, starts, cue, self._lexicon.resolve_word(low))
