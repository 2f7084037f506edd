"""One entry point for tagging an article with regions and topics, with the evidence for each."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.domain.alert_lexicon import AlertLexicon
from bot.domain.alerts import UrgentNotice, find_urgent
from bot.domain.articles import CleanArticle, Decision
from bot.domain.gazetteer import Gazetteer
from bot.domain.reading import ArticleWords, WordReader
from bot.domain.regions import tag_regions
from bot.domain.topics import TopicLexicon, tag_topics


@dataclass(frozen=True, slots=True)
class Tags:
    """Regions and topics of an article, main one first, each with its evidence."""

    regions: Decision
    topics: Decision


@dataclass(frozen=True, slots=True)
class Tagger:
    """The gazetteer, topic lexicon and alert lexicon, loaded once and shared by every article
    (without an alert lexicon no article is urgent)."""

    gazetteer: Gazetteer
    lexicon: TopicLexicon
    alerts: AlertLexicon | None = None
    reader: WordReader = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "reader", WordReader(self.gazetteer.scanner, self.lexicon))

    def read(self, title: str, body: str) -> ArticleWords:
        """An article's words, read once for regions, topics and the dedup signature."""
        return self.reader.read(title, body)

    def read_many(self, articles: Iterable[tuple[str, str]]) -> Iterator[ArticleWords]:
        """`read` of many articles (title, body), in bulk (cheaper per article), lazily."""
        return self.reader.read_many(articles)

    def read_batches(self, articles: Iterable[tuple[str, str]]) -> Iterator[list[ArticleWords]]:
        """`read_many`, a batch of some dozens of articles at a time."""
        return self.reader.read_batches(articles)

    def tag(
        self, *, title: str, body: str, source_url: str | None, text: ArticleWords | None = None
    ) -> Tags:
        """Regions and topics; `text` is `self.read(title, body)` when the caller has it."""
        if text is None:
            text = self.read(title, body)
        return Tags(
            regions=tag_regions(
                self.gazetteer, title=title, body=body, source_url=source_url, text=text
            ),
            topics=tag_topics(self.lexicon, title=title, body=body, text=text),
        )

    def urgent(self, *, title: str, body: str, published: datetime) -> UrgentNotice | None:
        """The article's alert (bot.domain.alerts), None when it is not urgent."""
        if self.alerts is None:
            return None
        return find_urgent(self.alerts, title=title, body=body, published=published)

    def tag_batch(
        self, articles: Sequence[CleanArticle], texts: Sequence[ArticleWords]
    ) -> list[Tags]:
        """`tag` of a batch of articles already read (`read_batches`), one step at a time (all
        regions, then all topics), which keeps each step's tables in the processor's caches."""
        pairs = list(zip(articles, texts, strict=True))
        regions = [
            tag_regions(
                self.gazetteer, title=a.title, body=a.body, source_url=a.source_url, text=text
            )
            for a, text in pairs
        ]
        topics = [tag_topics(self.lexicon, title=a.title, body=a.body, text=t) for a, t in pairs]
        return [Tags(regions=r, topics=t) for r, t in zip(regions, topics, strict=True)]
