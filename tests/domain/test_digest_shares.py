"""One source's share of a digest: no source crowds out the others; held-back stories fill
free places in turns; the rest is counted as overflow."""

from __future__ import annotations

import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.domain.digest import (
    DEFAULT_LIMIT,
    Digest,
    DigestArticle,
    Interests,
    build_window,
    compose,
    source_share,
)

T0 = datetime(2025, 1, 13, 6, tzinfo=UTC)
KARAGANDA = Interests.of(regions=["karaganda"])


def article(
    id: int, source: str, *, cluster: int | None = None, language: str = "en", minutes: int = 0
) -> DigestArticle:
    return DigestArticle(
        id=id,
        title=f"Title {id}",
        summary=f"Summary {id}",
        source_url=f"https://example.kz/{id}",
        language=language,
        published_at=T0 + timedelta(minutes=minutes or id),
        regions=("karaganda",),
        topics=("economy",),
        cluster_id=id if cluster is None else cluster,
        source=source,
    )


def digest_of(articles: list[DigestArticle], limit: int = DEFAULT_LIMIT) -> Digest:
    return compose(build_window(articles), KARAGANDA, "en", {}, limit=limit)


def shown_ids(digest: Digest) -> list[int]:
    return [item.article.id for item in digest.items]


@pytest.mark.parametrize(
    ("limit", "share"), [(0, 3), (1, 3), (3, 3), (9, 3), (12, 4), (15, 5), (40, 13)]
)
def test_share_is_a_third_of_the_limit_and_at_least_three(limit: int, share: int) -> None:
    assert source_share(limit) == share


def test_a_single_source_still_fills_the_digest() -> None:
    flood = [article(i, "source:1") for i in range(1, 101)]
    digest = digest_of(flood)
    assert shown_ids(digest) == list(range(100, 85, -1))  # nothing else to show
    assert digest.overflow == 85
    assert digest.considered_ids == frozenset(range(1, 101))


def test_other_sources_fill_the_rest_of_the_digest() -> None:
    flood = [article(i, "source:1") for i in range(1, 51)]
    others = [article(100 + i, "source:2") for i in range(1, 4)]
    others += [article(200 + i, "source:3") for i in range(1, 11)]
    digest = digest_of(flood + others)
    # Five each of sources 3 and 1, all three of source 2; the two free places go in turns.
    assert shown_ids(digest) == [
        *(210, 209, 208, 207, 206, 205),
        *(103, 102, 101),
        *(50, 49, 48, 47, 46, 45),
    ]
    assert digest.overflow == 63 - 15


def test_the_limit_still_applies_when_every_source_is_within_its_share() -> None:
    articles = [article(i, f"source:{i % 4}") for i in range(1, 41)]
    digest = digest_of(articles)
    assert len(digest.items) == 15
    assert digest.overflow == 25
    counts = Counter(item.article.source for item in digest.items)
    assert max(counts.values()) <= 5
    assert shown_ids(digest)[:3] == [40, 39, 38]


def test_articles_without_a_source_are_not_limited() -> None:
    articles = [article(i, "") for i in range(1, 21)]
    digest = digest_of(articles)
    assert shown_ids(digest) == list(range(20, 5, -1))
    assert digest.overflow == 5


def test_a_story_counts_for_the_source_of_the_article_it_shows() -> None:
    # Source 1 has had its share when the story comes up; its newest article is source 2's
    # copy, but the item shows source 1's original, so the story waits too, and source 3's
    # newer stories take the free places first.
    own = [article(i, "source:1", minutes=100 + i) for i in range(1, 6)]
    others = [article(20 + i, "source:3", minutes=60 + i) for i in range(10)]
    story = [
        article(10, "source:1", cluster=10, minutes=1),
        article(11, "source:2", cluster=10, minutes=50),
    ]
    digest = digest_of(own + others + story)
    assert shown_ids(digest) == [5, 4, 3, 2, 1, *range(29, 19, -1)]
    assert digest.overflow == 1
    # In Russian the copy from source 2 is shown (the chat's language wins), so it is placed.
    story[1] = article(11, "source:2", cluster=10, minutes=50, language="ru")
    window = build_window(own + others + story)
    russian = compose(window, KARAGANDA, "ru", {}, limit=DEFAULT_LIMIT)
    assert [item.ids for item in russian.items] == [
        *((i,) for i in (5, 4, 3, 2, 1)),
        *((i,) for i in range(29, 20, -1)),
        (11, 10),
    ]
    assert russian.overflow == 1


def test_a_feed_of_100_000_items_is_composed_quickly() -> None:
    flood = [article(i, "source:1", cluster=i - i % 2) for i in range(1, 100_001)]
    local = [article(200_000 + i, "source:2", minutes=i) for i in range(1, 11)]
    window = build_window(flood + local)
    started = time.perf_counter()
    digest = compose(window, KARAGANDA, "en", {})
    assert time.perf_counter() - started < 0.5
    # Five each, then the five free places in turns: the flood's next, the local's next, ...
    assert Counter(item.article.source for item in digest.items) == {"source:1": 8, "source:2": 7}
    assert digest.overflow == 50_001 + 10 - 15


SOURCES = ["source:1", "source:2", "source:3", ""]


@st.composite
def windows(draw: st.DrawFn, *, clustered: bool) -> list[DigestArticle]:
    count = draw(st.integers(0, 60))
    return [
        article(
            id,
            draw(st.sampled_from(SOURCES)),
            cluster=draw(st.integers(1, max(1, count // 2))) if clustered else id,
            language=draw(st.sampled_from(["en", "ru"])),
            minutes=draw(st.integers(1, 500)),
        )
        for id in range(1, count + 1)
    ]


def greedy(articles: list[DigestArticle], limit: int) -> list[int]:
    """The rule in plain words: newest first, holding back a source that has had its share;
    then the held-back stories take the free places in turns, newest first in each turn."""
    ordered = sorted(articles, key=lambda a: (a.published_at, a.id), reverse=True)
    shown: list[int] = []
    held: dict[str, list[int]] = {}
    counts: Counter[str] = Counter()
    for position, a in enumerate(ordered):
        if len(shown) >= limit:
            return [ordered[i].id for i in sorted(shown)]
        if a.source and counts[a.source] >= source_share(limit):
            held.setdefault(a.source, []).append(position)
            continue
        counts[a.source] += 1
        shown.append(position)
    turns = sorted((turn, position) for kept in held.values() for turn, position in enumerate(kept))
    shown += [position for _, position in turns[: max(0, limit - len(shown))]]
    return [ordered[i].id for i in sorted(shown)]


@settings(max_examples=200, deadline=None)
@given(windows(clustered=False), st.integers(0, 40))
@example([article(i, "source:1") for i in range(1, 30)], 15)
@example([article(i, SOURCES[i % 3]) for i in range(1, 60)], 15)
def test_single_article_stories_follow_the_greedy_rule(
    articles: list[DigestArticle], limit: int
) -> None:
    digest = digest_of(articles, limit)
    assert shown_ids(digest) == greedy(articles, limit)
    assert digest.overflow == len(articles) - len(digest.items)
    assert len(digest.items) == min(limit, len(articles))  # full whenever there is enough


@settings(max_examples=200, deadline=None)
@given(windows(clustered=True), st.integers(0, 40), st.sampled_from(["en", "ru"]))
def test_no_source_exceeds_its_share_while_another_waits(
    articles: list[DigestArticle], limit: int, language: str
) -> None:
    digest = compose(build_window(articles), KARAGANDA, language, {}, limit=limit)
    counts = Counter(item.article.source for item in digest.items if item.article.source)
    if any(count > source_share(limit) for count in counts.values()):
        shown_stories = {item.article.cluster_id for item in digest.items}
        for cluster in {a.cluster_id for a in articles} - shown_stories:
            sources = {a.source for a in articles if a.cluster_id == cluster}
            if len(sources) == 1:  # stories told by several sources are not refilled
                [waiting] = sources
                assert waiting and counts[waiting] >= source_share(limit), (cluster, waiting)
    assert len(digest.items) <= limit
    stories = len({a.cluster_id for a in articles})
    assert len(digest.items) + digest.overflow == stories
    shown = [id for item in digest.items for id in item.ids]
    assert len(shown) == len(set(shown))


@given(st.integers(1, 80), st.integers(0, 40))
def test_a_lone_source_fills_the_digest_and_the_rest_is_overflow(count: int, limit: int) -> None:
    digest = digest_of([article(i, "source:7") for i in range(1, count + 1)], limit)
    expected = min(count, limit)
    assert shown_ids(digest) == list(range(count, count - expected, -1))
    assert digest.overflow == count - expected
