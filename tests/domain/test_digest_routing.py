"""Forum routing splits a digest so every item lands in exactly one forum topic."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.digest import DigestArticle, Interests, build_window, compose
from bot.domain.digest.routing import Route, split_by_route

NOW = datetime(2025, 1, 14, tzinfo=UTC)


def _article(article_id: int, regions: tuple[str, ...], topics: tuple[str, ...]) -> DigestArticle:
    return DigestArticle(
        article_id,
        f"Story {article_id}",
        "Summary.",
        f"https://a.kz/{article_id}",
        "en",
        NOW,
        regions,
        topics,
        article_id,
    )


def test_routed_regions_go_to_their_topic_and_the_rest_stays_in_general() -> None:
    articles = [
        _article(1, ("karaganda",), ("transport",)),
        _article(2, ("turkestan",), ("agriculture",)),
        _article(3, ("karaganda", "turkestan"), ("economy",)),
    ]
    digest = compose(
        build_window(articles), Interests.of(regions=["karaganda", "turkestan"]), "en", {}
    )
    parts = split_by_route(digest, [Route("region", "turkestan", 77, "Turkestan")])
    assert [route.thread_id if route else None for route, _ in parts] == [None, 77]
    general, routed = parts[0][1], parts[1][1]
    assert {item.article.id for item in general.items} == {1, 3}
    assert {item.article.id for item in routed.items} == {2}


def test_no_routes_means_one_part() -> None:
    digest = compose(
        build_window([_article(1, ("karaganda",), ("transport",))]),
        Interests.of(regions=["karaganda"]),
        "en",
        {},
    )
    assert split_by_route(digest, []) == [(None, digest)]


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["karaganda", "turkestan", "abai"]),
            st.sampled_from(["transport", "health"]),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_every_item_lands_in_exactly_one_part(tags: list[tuple[str, str]]) -> None:
    articles = [_article(i + 1, (region,), (topic,)) for i, (region, topic) in enumerate(tags)]
    digest = compose(
        build_window(articles),
        Interests.of(regions=["karaganda", "turkestan", "abai"]),
        "en",
        {},
        limit=100,
    )
    routes = [Route("topic", "health", 5), Route("region", "abai", 6)]
    seen = [item.article.id for _, part in split_by_route(digest, routes) for item in part.items]
    assert sorted(seen) == sorted(item.article.id for item in digest.items)
