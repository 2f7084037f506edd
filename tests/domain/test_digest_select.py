"""Which articles a chat receives: the selection rules, table by table."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.digest import (
    KEYWORDS_SECTION,
    TOPICS_SECTION,
    DigestArticle,
    Interests,
    build_window,
    compose,
)

T0 = datetime(2025, 1, 13, 6, tzinfo=UTC)


def article(
    id: int,
    regions: tuple[str, ...] = ("karaganda",),
    topics: tuple[str, ...] = ("economy",),
    *,
    hours: int = 0,
    language: str = "en",
    cluster: int | None = None,
    url: str | None = "https://www.gov.kz/x",
) -> DigestArticle:
    return DigestArticle(
        id=id,
        title=f"Title {id}",
        summary=f"Summary {id}",
        source_url=url,
        language=language,
        published_at=T0 + timedelta(hours=hours if hours else id),
        regions=regions,
        topics=topics,
        cluster_id=id if cluster is None else cluster,
    )


WINDOW = [
    article(1, ("karaganda",), ("economy",)),
    article(2, ("karaganda",), ("health",)),
    article(3, ("turkestan",), ("economy",)),
    article(4, ("turkestan",), ("transport",)),
    article(5, ("astana",), ("economy", "transport")),
    article(6, ("national",), ("governance",)),
]
HITS: Mapping[str, frozenset[int]] = {"tariff": frozenset({4, 6}), "hospital": frozenset({2})}


def selected(interests: Interests, articles: list[DigestArticle] = WINDOW, **kw: int) -> list[int]:
    digest = compose(build_window(articles), interests, "en", HITS, **kw)
    return [item.article.id for item in digest.items]


@pytest.mark.parametrize(
    ("interests", "expected"),
    [
        (Interests.of(regions=["karaganda"], topics=["economy"]), [1]),
        (Interests.of(regions=["karaganda", "turkestan"], topics=["economy"]), [1, 3]),
        (Interests.of(regions=["karaganda"]), [2, 1]),
        (Interests.of(topics=["economy"]), [5, 3, 1]),
        (Interests.of(topics=["transport", "economy"]), [5, 4, 3, 1]),
        (Interests.of(regions=["national"]), [6]),
        (Interests.of(regions=["karaganda"], topics=["economy"], keywords=["tariff"]), [1, 6, 4]),
        (Interests.of(keywords=["tariff"]), [6, 4]),
        (Interests.of(keywords=["unknown phrase"]), []),
        (Interests.of(regions=["karaganda"], excludes=["hospital"]), [1]),
        (Interests.of(keywords=["tariff", "hospital"], excludes=["hospital"]), [6, 4]),
        (Interests.of(topics=["economy"], excludes=["tariff"]), [5, 3, 1]),
        (Interests.of(regions=["abai"]), []),
        (Interests.of(excludes=["hospital"]), []),
        (Interests(), []),
    ],
    ids=lambda value: repr(value) if isinstance(value, list) else None,
)
def test_selection_rules(interests: Interests, expected: list[int]) -> None:
    assert selected(interests) == expected


def test_keyword_hits_outside_the_window_are_ignored() -> None:
    hits = {"x": frozenset({99})}
    digest = compose(build_window(WINDOW), Interests.of(keywords=["x"]), "en", hits)
    assert digest.is_empty


def test_sections_follow_the_chat_order_then_keywords() -> None:
    interests = Interests.of(regions=["turkestan", "karaganda"], keywords=["tariff"])
    digest = compose(build_window(WINDOW), interests, "en", HITS)
    layout = [(s.key, [i.article.id for i in s.items]) for s in digest.sections]
    assert layout == [("turkestan", [4, 3]), ("karaganda", [2, 1]), (KEYWORDS_SECTION, [6])]
    assert digest.show_headings


def test_article_of_two_regions_sits_in_the_first_in_chat_order() -> None:
    both = article(7, ("karaganda", "turkestan"))
    for order, section in ((["turkestan", "karaganda"], "turkestan"), (["karaganda"], "karaganda")):
        digest = compose(build_window([both]), Interests.of(regions=order), "en", {})
        assert [s.key for s in digest.sections] == [section]
        assert len(digest.items) == 1


def test_single_region_without_keyword_hits_has_no_headings() -> None:
    digest = compose(build_window(WINDOW), Interests.of(regions=["karaganda"]), "en", HITS)
    assert not digest.show_headings
    topics_and_keywords = Interests.of(topics=["health"], keywords=["tariff"])
    digest = compose(build_window(WINDOW), topics_and_keywords, "en", HITS)
    assert [s.key for s in digest.sections] == [TOPICS_SECTION, KEYWORDS_SECTION]
    assert digest.show_headings


def test_cluster_becomes_one_item_with_the_others_as_sources() -> None:
    story = [
        article(10, cluster=10, hours=1),
        article(11, cluster=10, hours=3, url="https://kaz.kz/a"),
        article(12, cluster=10, hours=2, url="https://inform.kz/b"),
        article(13, hours=4),
    ]
    digest = compose(build_window(story), Interests.of(regions=["karaganda"]), "en", {})
    assert [item.ids for item in digest.items] == [(13,), (10, 11, 12)]


@pytest.mark.parametrize(("language", "main"), [("ru", 21), ("kk", 22), ("en", 23), ("de", 21)])
def test_the_chat_language_wins_in_a_cluster(language: str, main: int) -> None:
    story = [
        article(21, language="ru", cluster=20, hours=1),
        article(22, language="kk", cluster=20, hours=2),
        article(23, language="en", cluster=20, hours=3),
    ]
    digest = compose(build_window(story), Interests.of(regions=["karaganda"]), language, {})
    (item,) = digest.items
    assert item.article.id == main
    assert sorted(item.ids) == [21, 22, 23]


def test_members_excluded_or_out_of_interest_are_not_sources() -> None:
    story = [
        article(31, cluster=30),
        article(32, ("abai",), cluster=30),
        article(33, cluster=30),
    ]
    hits = {"drop": frozenset({33})}
    interests = Interests.of(regions=["karaganda"], excludes=["drop"])
    (item,) = compose(build_window(story), interests, "en", hits).items
    assert item.ids == (31,)


def test_item_limit_keeps_the_newest_and_counts_the_rest() -> None:
    many = [article(i) for i in range(1, 21)]
    digest = compose(build_window(many), Interests.of(regions=["karaganda"]), "en", {}, limit=15)
    assert [item.article.id for item in digest.items] == list(range(20, 5, -1))
    assert digest.overflow == 5
    assert digest.considered_ids == frozenset(range(1, 21))
    assert digest.watermark == 20


def test_limit_counts_stories_not_articles() -> None:
    many = [article(i, cluster=i // 2) for i in range(1, 11)]
    digest = compose(build_window(many), Interests.of(regions=["karaganda"]), "en", {}, limit=3)
    assert len(digest.items) == 3
    assert digest.overflow == 6 - 3


def test_considered_ids_cover_the_window_even_when_nothing_matches() -> None:
    digest = compose(build_window(WINDOW), Interests.of(regions=["abai"]), "en", HITS)
    assert digest.is_empty
    assert digest.considered_ids == frozenset(range(1, 7))
    assert compose(build_window([]), Interests(), "en", {}).watermark is None


def test_equal_interests_are_equal_and_hashable() -> None:
    first = Interests.of(regions=["a", "b", "a"], topics=["y", "x"], keywords=["k", "j"])
    second = Interests.of(regions=["a", "b"], topics=["x", "y", "x"], keywords=["j", "k"])
    assert first == second
    assert hash(first) == hash(second)
    assert Interests.of(regions=["b", "a"]) != Interests.of(regions=["a", "b"])


def test_folded_alerts_are_shown_whatever_the_topics_under_their_region() -> None:
    """An alert over the chat's daily cap, or over before its quiet hours ended, was never sent:
    its story comes in the digest even when the chat's topics would leave it out."""
    outage = article(7, ("karaganda",), ("utilities",))
    interests = Interests.of(["karaganda"], ["economy"])
    window = build_window([*WINDOW, outage])
    assert [i.article.id for i in compose(window, interests, "en", HITS).items] == [1]
    digest = compose(window, interests, "en", HITS, folded=frozenset({7, 99}))
    assert [i.article.id for i in digest.items] == [7, 1]
    assert [section.key for section in digest.sections] == ["karaganda"]
