"""Which articles a chat receives.

The window is indexed once per delivery run as boolean masks over the articles sorted newest
first, so composing one interest set is a handful of vectorised ORs and ANDs; 100,000 chats
share a few tens of thousands of interest sets.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from functools import cache
from typing import Final

import numpy as np
import numpy.typing as npt

from bot.domain.digest.model import (
    KEYWORDS_SECTION,
    TOPICS_SECTION,
    Digest,
    DigestArticle,
    DigestItem,
    Interests,
    Section,
)
from bot.domain.digest.shares import NO_SOURCE, SourceShares, held_back_in_turns, newest_first

DEFAULT_LIMIT: Final = 15
READABLE_INSTEAD: Final[Mapping[str, tuple[str, ...]]] = {
    "kk": ("ru", "en"),
    "ru": ("kk", "en"),
    "en": ("ru", "kk"),
}
"""When a story has no version in the reader's language, the version shown instead, in order:
nearly every reader in Kazakhstan reads Russian, and Kazakh and Russian readers both read the
other state language more often than English."""

Mask = npt.NDArray[np.bool_]


class Window:
    """The candidate articles of one delivery run, indexed for composition.

    Positions ("ranks") order articles newest first (published_at, then id). The window also
    remembers masks of keyword phrases and built items, which every chat reuses.
    """

    __slots__ = (
        "_items",
        "_phrases",
        "_rank_of",
        "_source_number",
        "by_rank",
        "clusters",
        "ids",
        "official",
        "only_source",
        "regions",
        "story_array",
        "story_of",
        "topics",
    )

    def __init__(self, articles: Iterable[DigestArticle]) -> None:
        by_id = {article.id: article for article in articles}
        self.by_rank: tuple[DigestArticle, ...] = tuple(
            sorted(by_id.values(), key=lambda a: (a.published_at, a.id), reverse=True)
        )
        self.ids: frozenset[int] = frozenset(by_id)
        members: dict[int, list[int]] = {}
        regions: defaultdict[str, list[int]] = defaultdict(list)
        topics: defaultdict[str, list[int]] = defaultdict(list)
        for rank, article in enumerate(self.by_rank):
            members.setdefault(article.cluster_id, []).append(rank)
            for region in article.regions:
                regions[region].append(rank)
            for topic in article.topics:
                topics[topic].append(rank)
        self.clusters: tuple[tuple[int, ...], ...] = tuple(map(tuple, members.values()))
        """Stories: member ranks of each cluster, newest first, indexed by story number."""
        story = {cluster: index for index, cluster in enumerate(members)}
        self.story_of: list[int] = [story[article.cluster_id] for article in self.by_rank]
        self.story_array = np.array(self.story_of, dtype=np.int64)
        sources = dict.fromkeys(article.source for article in self.by_rank if article.source)
        self._source_number = {source: number for number, source in enumerate(sources)}
        self.only_source = self._only_sources()
        """Per rank, the one source its whole story comes from; NO_SOURCE when several."""
        self.regions: dict[str, Mask] = {slug: self._mask(r) for slug, r in regions.items()}
        self.topics: dict[str, Mask] = {slug: self._mask(r) for slug, r in topics.items()}
        self.official: Mask = np.array([a.official for a in self.by_rank], dtype=np.bool_)
        """Per rank, whether the article comes from an official source."""
        self._rank_of = {article.id: rank for rank, article in enumerate(self.by_rank)}
        self._phrases: dict[frozenset[int], Mask] = {}
        self._items: dict[tuple[tuple[int, ...], str], DigestItem] = {}

    def source_number(self, article: DigestArticle) -> int:
        """The article's source as a small number; NO_SOURCE when unknown (never limited)."""
        return self._source_number.get(article.source, NO_SOURCE)

    def _only_sources(self) -> npt.NDArray[np.int64]:
        numbers = np.array([self.source_number(a) for a in self.by_rank], dtype=np.int64)
        lowest = np.full(len(self.clusters), len(self._source_number), dtype=np.int64)
        highest = np.full(len(self.clusters), NO_SOURCE, dtype=np.int64)
        np.minimum.at(lowest, self.story_array, numbers)
        np.maximum.at(highest, self.story_array, numbers)
        story_source = np.where(lowest == highest, lowest, NO_SOURCE)
        return story_source[self.story_array]

    def _mask(self, ranks: Iterable[int]) -> Mask:
        mask = np.zeros(len(self.by_rank), dtype=np.bool_)
        mask[list(ranks)] = True
        return mask

    def union(self, masks: Mapping[str, Mask], slugs: Iterable[str]) -> Mask:
        """Articles tagged with any of the slugs."""
        result = np.zeros(len(self.by_rank), dtype=np.bool_)
        for slug in slugs:
            found = masks.get(slug)
            if found is not None:
                result |= found
        return result

    def phrase(self, ids: frozenset[int]) -> Mask:
        """The mask of a keyword phrase's hits (ids outside the window are ignored), remembered."""
        mask = self._phrases.get(ids)
        if mask is None:
            rank_of = self._rank_of
            mask = self._phrases[ids] = self._mask(rank_of[i] for i in ids if i in rank_of)
        return mask

    def item(self, ranks: tuple[int, ...], language: str) -> DigestItem:
        """One story from the matched members of a cluster (ranks, newest first).

        The main article is the original (earliest) version in the chat's language, with a link
        when one has it; without a version in that language, the one a reader of it is likeliest
        to read (`READABLE_INSTEAD`). The others follow newest first.
        """
        key = (ranks, language)
        item = self._items.get(key)
        if item is None:
            members = [self.by_rank[rank] for rank in ranks]
            preference = _language_preference(language)
            main = min(
                reversed(members),
                key=lambda a: (preference.get(a.language, len(preference)), not a.source_url),
            )
            others = tuple(member for member in members if member is not main)
            item = self._items[key] = DigestItem(main, others)
        return item


def build_window(articles: Iterable[DigestArticle]) -> Window:
    """Index the candidates (already limited to the window by storage)."""
    return Window(articles)


def compose(
    window: Window,
    interests: Interests,
    language: str,
    keyword_hits: Mapping[str, frozenset[int]],
    *,
    limit: int = DEFAULT_LIMIT,
    folded: frozenset[int] = frozenset(),
) -> Digest:
    """The digest for one interest set in one language.

    Regions AND topics (either alone matches every value of the other); keyword hits are
    added, exclusion hits removed. A phrase missing from `keyword_hits` matched nothing.
    `official_only` keeps the articles of official sources: a story is shown when one of its
    official versions matches, and shows only those.
    One item per cluster; the newest `limit` stories are kept, at most `source_share(limit)`
    of them from one source (the source of the article an item shows) while other sources
    have stories to show, and the rest counted in `overflow`.
    `folded`: the chat's unsent alerts (capped, or over by the end of its quiet hours), shown
    whatever its topics.
    """
    base = _base(window, interests) | window.phrase(folded)
    matched = base.copy()
    for phrase in interests.keywords:
        matched |= window.phrase(keyword_hits.get(phrase, frozenset()))
    for phrase in interests.excludes:
        matched &= ~window.phrase(keyword_hits.get(phrase, frozenset()))
    if interests.official_only:
        base &= window.official
        matched &= window.official
    ranks = np.flatnonzero(matched)
    stories = int(np.count_nonzero(np.bincount(window.story_array[ranks])))
    chosen: list[tuple[int, str, DigestItem]] = []
    seen: set[int] = set()
    shares = SourceShares(limit)
    for rank in newest_first(ranks, window.only_source, shares.full):
        if len(chosen) >= limit:
            break
        if (story := window.story_of[rank]) in seen:
            continue
        section, item = _story(window, interests, matched, base, rank, language)
        if shares.admit(window.source_number(item.article)):
            seen.add(story)
            chosen.append((rank, section, item))
    if len(chosen) < limit and shares.full:
        # Nothing else to show: the stories held back for their source's share take turns.
        for rank in held_back_in_turns(
            ranks, window.only_source, window.story_array, shares.full, seen, limit - len(chosen)
        ):
            chosen.append((rank, *_story(window, interests, matched, base, rank, language)))
    sections = _sections(interests, chosen)
    return Digest(
        interests=interests,
        language=language,
        sections=sections,
        overflow=stories - len(chosen),
        considered_ids=window.ids,
        show_headings=len(interests.regions) > 1 or len(sections) > 1,
    )


def _sections(
    interests: Interests, chosen: Iterable[tuple[int, str, DigestItem]]
) -> tuple[Section, ...]:
    """The chosen (rank, section, item) entries grouped in the chat's order of sections, each
    section's items in window order."""
    placed: dict[str, list[DigestItem]] = {}
    for _, section, item in sorted(chosen, key=lambda entry: entry[0]):
        placed.setdefault(section, []).append(item)
    order = (*interests.regions, TOPICS_SECTION, KEYWORDS_SECTION)
    return tuple(Section(key, tuple(placed[key])) for key in order if key in placed)


def _story(
    window: Window, interests: Interests, matched: Mask, base: Mask, rank: int, language: str
) -> tuple[str, DigestItem]:
    """The section and item of the story whose newest matched article is at `rank`."""
    members = window.clusters[window.story_of[rank]]
    if len(members) > 1:
        members = tuple(member for member in members if matched[member])
        in_base = [member for member in members if base[member]]
    else:
        in_base = [rank] if base[rank] else []
    return _section(window, interests, in_base), window.item(members, language)


def _base(window: Window, interests: Interests) -> Mask:
    """Articles matched by regions and topics (not by keywords)."""
    if not interests.regions and not interests.topics:
        return np.zeros(len(window.by_rank), dtype=np.bool_)
    if not interests.topics:
        return window.union(window.regions, interests.regions)
    on_topics = window.union(window.topics, interests.topics)
    if not interests.regions:
        return on_topics
    return window.union(window.regions, interests.regions) & on_topics


def _section(window: Window, interests: Interests, in_base: list[int]) -> str:
    """The first of the chat's regions any base member is in; keyword-only stories go last."""
    if not in_base:
        return KEYWORDS_SECTION
    if not interests.regions:
        return TOPICS_SECTION
    if len(in_base) == 1:
        regions = window.by_rank[in_base[0]].regions
        if len(regions) == 1:  # the usual case: the article's one region is one of the chat's
            return regions[0]
        tagged: Collection[str] = regions
    else:
        tagged = {region for rank in in_base for region in window.by_rank[rank].regions}
    return next(slug for slug in interests.regions if slug in tagged)


@cache
def _language_preference(language: str) -> dict[str, int]:
    """Rank of each language for a reader of `language`: their own first (0), then
    `READABLE_INSTEAD`."""
    order = (language, *READABLE_INSTEAD.get(language, ()))
    return {lang: rank for rank, lang in enumerate(order)}
