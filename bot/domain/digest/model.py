"""Value types of a digest: articles and interests in, numbered items and messages out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final, Protocol

KEYWORDS_SECTION: Final = "@keywords"
"""Section key of articles that only a keyword subscription brought in."""

TOPICS_SECTION: Final = "@topics"
"""Section key of the topic matches of a chat without regions."""


class Texts(Protocol):
    """Catalogue lookup bound to one language: `texts("digest.more", count=3)` -> Telegram HTML.

    Implemented by bot.i18n.BoundTranslator; parameters are escaped unless already Html.
    """

    def __call__(self, key: str, /, **params: object) -> str: ...


@dataclass(frozen=True, slots=True)
class DigestArticle:
    """One stored article as the digest needs it; `id` is the monotonic ingest id.

    `source` names who supplied it, for the share one source may have of a digest: a polled
    source ("source:12"); "" for an article ingested by hand, which no share limits.
    `official` is True when that source is a government body (gov.kz, akimats, ministries).
    """

    id: int
    title: str
    summary: str
    source_url: str | None
    language: str
    published_at: datetime
    regions: tuple[str, ...]
    topics: tuple[str, ...]
    cluster_id: int
    source: str = ""
    official: bool = False


@dataclass(frozen=True, slots=True)
class Interests:
    """What a chat subscribed to; hashable so chats with equal interests share one composition.

    `regions` keep the chat's order (it orders the sections); build with `Interests.of` so the
    other fields are sorted and equal sets compare equal. `official_only` (the chat's
    /official setting) is part of the value, so chats that differ in it never share a digest.
    """

    regions: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    official_only: bool = False

    @classmethod
    def of(
        cls,
        regions: Iterable[str] = (),
        topics: Iterable[str] = (),
        keywords: Iterable[str] = (),
        excludes: Iterable[str] = (),
        *,
        official_only: bool = False,
    ) -> Interests:
        """Interests in canonical form: regions de-duplicated in order, the rest sorted."""
        return cls(
            tuple(dict.fromkeys(regions)),
            tuple(sorted(set(topics))),
            tuple(sorted(set(keywords))),
            tuple(sorted(set(excludes))),
            official_only,
        )

    @property
    def is_empty(self) -> bool:
        """No regions, topics or keywords: such a chat receives nothing."""
        return not (self.regions or self.topics or self.keywords)


@dataclass(frozen=True, slots=True)
class DigestItem:
    """One story: the main article and the other members of its near-duplicate cluster."""

    article: DigestArticle
    others: tuple[DigestArticle, ...] = ()
    ids: tuple[int, ...] = field(init=False, repr=False, compare=False)
    """The main id then the others': a cheap key for renderers and `/why`."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "ids", (self.article.id, *(other.id for other in self.others)))

    @property
    def official(self) -> bool:
        """A story with at least one version from an official source counts as official."""
        return self.article.official or any(other.official for other in self.others)


@dataclass(frozen=True, slots=True)
class Section:
    """Items under one heading: a region slug, KEYWORDS_SECTION or TOPICS_SECTION."""

    key: str
    items: tuple[DigestItem, ...]


@dataclass(frozen=True, slots=True)
class Digest:
    """The composition for one (interests, language): shared by every chat that has both.

    `overflow` counts stories left out by the item limit or by a source's share.
    `considered_ids` are all articles of the window, so the caller can move the chat's
    watermark past them (overflow included).
    """

    interests: Interests
    language: str
    sections: tuple[Section, ...]
    overflow: int
    considered_ids: frozenset[int]
    show_headings: bool

    @property
    def items(self) -> tuple[DigestItem, ...]:
        """Items in display order (the order they are numbered in)."""
        return tuple(item for section in self.sections for item in section.items)

    @property
    def is_empty(self) -> bool:
        return not self.sections

    @property
    def watermark(self) -> int | None:
        """The highest article id looked at, or None when the window was empty."""
        return max(self.considered_ids, default=None)


@dataclass(frozen=True, slots=True)
class NumberedItem:
    """What `/why 3` needs: the number shown and the item's main article."""

    number: int
    article_id: int


@dataclass(frozen=True, slots=True)
class Rendered:
    """Telegram HTML messages, in sending order, and the items they number."""

    messages: tuple[str, ...]
    items: tuple[NumberedItem, ...]
