"""Reading an article once for every tagger: its words, what each may start, its shingles.

Texts are read in bulk over their code points (bot.domain.bulk_reading), many articles at once:
token boundaries, dedup shingles and the few tokens that may start a gazetteer name or a topic
entry come out of a handful of array passes. Only those few tokens become `Word`s at once,
through a bounded memo of spellings (each distinct spelling is worked out once); the region and
topic taggers walk the maps of the words that start something and ask for any other word by
index, and the dedup signature takes the shingles. A text the bulk reader cannot take (see
there) is read token by token through the same memo.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate, chain, pairwise
from typing import Final

import numpy as np

from bot.domain.bulk_reading import BulkReader, TextScan
from bot.domain.name_forms import MAX_ENDING
from bot.domain.name_scan import Scanner
from bot.domain.shingles import U32, content_shingles
from bot.domain.tokens import Memo, normal_form, normalise, raw_tokens, split_glued
from bot.domain.topic_lexicon import TopicLexicon
from bot.domain.words import CUE, ReadText, SpanWords, Word

# Articles are read in bulk in batches of about this many characters (about 75 articles of the
# usual length): the fixed cost of each array pass is spread thin, and the arrays (a few MB)
# stay in the processor's last cache. Measured: 80,000 were ~5% slower, 320,000 no faster.
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
        self._memo: Memo[str, Word] = Memo(self._word, _MEMO_LIMIT)
        self._plain: Memo[str, Word] = Memo(_plain_word, _MEMO_LIMIT)
        self._bulk = BulkReader(
            name_stems=scanner.first_stems(),
            topic_stems=lexicon.stems,
            topic_words=lexicon.exact,
            max_ending=MAX_ENDING,
        )

    def read(self, title: str, body: str) -> ArticleWords:
        """The words of an article's title and body."""
        return next(self.read_many([(title, body)]))

    def read_many(self, articles: Iterable[tuple[str, str]]) -> Iterator[ArticleWords]:
        """The words of many articles (title, body), in order (see `read_batches`)."""
        return chain.from_iterable(self.read_batches(articles))

    def read_batches(self, articles: Iterable[tuple[str, str]]) -> Iterator[list[ArticleWords]]:
        """The words of many articles (title, body), in order, a batch at a time: read in bulk
        some dozens at a time, which spreads the fixed cost of each array pass over many texts.
        Lazy, so only one batch of read articles is alive at a time."""
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

    def _read_batch(self, batch: list[tuple[str, str]]) -> list[ArticleWords]:
        # One text for all: no token crosses the line breaks between titles and bodies.
        joined = "\n".join(chain.from_iterable(batch))
        scan = self._bulk.scan(joined)
        if scan is None:
            if len(batch) > 1:  # read each alone, so only the article that needs it goes slowly
                return [words for one in batch for words in self._read_batch([one])]
            title, body = batch[0]
            title_words, body_words = self._read_slowly(title), self._read_slowly(body)
            shingles = _shingles(title_words.words, body_words.words)
            return [ArticleWords(title, body, title_words, body_words, shingles)]
        # The first token of each title and body, and the end: each text is followed by "\n".
        offsets = list(
            accumulate((len(text) + 1 for text in chain.from_iterable(batch)), initial=0)
        )
        bounds: list[int] = np.searchsorted(scan.starts, offsets).tolist()
        article_shingles = scan.shingles(bounds[::2])
        candidates = self._candidates(joined, scan)
        texts = [self._columns(joined, scan, candidates, *pair) for pair in pairwise(bounds)]
        return [
            ArticleWords(title, body, texts[2 * k], texts[2 * k + 1], article_shingles[k])
            for k, (title, body) in enumerate(batch)
        ]

    def read_text(self, text: str) -> ReadText:
        """The words of one text, with their columns."""
        scan = self._bulk.scan(text)
        if scan is None:
            return self._read_slowly(text)
        return self._columns(text, scan, self._candidates(text, scan), 0, len(scan.starts))

    def words(self, text: str) -> list[Word]:
        """The words of a text, in order; glued tokens ("KazakhstanA") count as their parts."""
        return list(self.read_text(text).words)

    def _candidates(self, text: str, scan: TextScan) -> list[Word]:
        """The words of a scanned text's candidates (in the order of `scan.candidates`)."""
        chosen = scan.candidates
        spelled = zip(scan.starts[chosen].tolist(), scan.ends[chosen].tolist(), strict=True)
        return list(map(self._memo.__getitem__, [text[start:end] for start, end in spelled]))

    def _columns(
        self, text: str, scan: TextScan, candidates: list[Word], first: int, end: int
    ) -> ReadText:
        """The words of tokens [first, end) of a scanned text (`candidates`: the words of all
        its candidates)."""
        indexes = scan.candidates
        low, high = bisect_left(indexes, first), bisect_left(indexes, end)
        known = dict(zip([i - first for i in indexes[low:high]], candidates[low:high], strict=True))
        starts = {i: word.starts for i, word in known.items() if word.starts}
        topics = {i: word.topics for i, word in known.items() if word.topics is not None}
        spans = SpanWords(
            text, scan.starts[first:end], scan.ends[first:end], known, self._plain.__getitem__
        )
        return ReadText(spans, starts, sum(map(CUE, candidates[low:high])), topics)

    def _read_slowly(self, text: str) -> ReadText:
        """The words of a text, token by token through the memo."""
        return ReadText.of(list(map(self._memo.__getitem__, raw_tokens(text))))

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
        return Word(token, low, capital, starts, cue, self._lexicon.resolve_word(low))


def _plain_word(token: str) -> Word:
    """The word of a token that starts no name and no topic entry (the bulk reader says which)."""
    return Word(token, normal_form(token), token[:1].isupper())


def _shingles(*texts: Sequence[Word]) -> U32:
    """The shingles of words read token by token (the bulk reader computes its own)."""
    return content_shingles([word.low for words in texts for word in words])
