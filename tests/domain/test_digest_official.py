"""Official sources in digests: `official_only` selection, the official-source mark, and the
official setting as part of every key that interests are grouped or cached by."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain.digest import (
    DigestArticle,
    DigestItem,
    DigestRenderer,
    Interests,
    build_window,
    compose,
    render_article_list,
    render_digest,
)
from bot.domain.telegram_html import utf16_len, visible_text
from bot.i18n import default_translator
from tests.domain.test_digest_properties import INTERESTS, articles, hits

DAY = date(2025, 1, 13)
T0 = datetime(2025, 1, 13, 6, tzinfo=UTC)
MARKS = {"en": "🏛 official source", "ru": "🏛 официальный источник", "kk": "🏛 ресми дереккөз"}
KARAGANDA = Interests.of(regions=["karaganda"])
OFFICIAL_KARAGANDA = Interests.of(regions=["karaganda"], official_only=True)


def article(
    id: int,
    *,
    official: bool = False,
    cluster: int | None = None,
    url: str | None = None,
    language: str = "en",
    regions: tuple[str, ...] = ("karaganda",),
) -> DigestArticle:
    return DigestArticle(
        id=id,
        title=f"Story number {id}",
        summary="A short summary.",
        source_url=url if url is not None else f"https://site{id}.kz/news/{id}",
        language=language,
        published_at=T0 + timedelta(minutes=id),
        regions=regions,
        topics=("economy",),
        cluster_id=id if cluster is None else cluster,
        source=f"source:{100 + id}",
        official=official,
    )


def shown(
    interests: Interests, window: list[DigestArticle], **hits: frozenset[int]
) -> list[tuple[int, tuple[int, ...]]]:
    """(main id, other ids) of each item of the digest, in display order."""
    digest = compose(build_window(window), interests, "en", hits, limit=15)
    return [(item.article.id, tuple(o.id for o in item.others)) for item in digest.items]


def text_of(interests: Interests, window: list[DigestArticle], language: str = "en") -> str:
    digest = compose(build_window(window), interests, language, {}, limit=15)
    texts = default_translator().bind(language)
    return "\n".join(visible_text(m) for m in render_digest(digest, texts, day=DAY).messages)


# ---- selection --------------------------------------------------------------------------


def test_official_only_keeps_the_articles_of_official_sources() -> None:
    window = [article(1, official=True), article(2), article(3, official=True), article(4)]
    assert shown(KARAGANDA, window) == [(4, ()), (3, ()), (2, ()), (1, ())]
    assert shown(OFFICIAL_KARAGANDA, window) == [(3, ()), (1, ())]


def test_a_story_with_an_official_version_shows_that_version_to_official_only_chats() -> None:
    """The press wrote it first, the akimat's release is the same story: an official-only
    chat gets the story, shown by the release, without the press versions."""
    window = [article(1, cluster=1), article(2, cluster=1, official=True), article(3, cluster=1)]
    assert shown(KARAGANDA, window) == [(1, (3, 2))]
    assert shown(OFFICIAL_KARAGANDA, window) == [(2, ())]


def test_keywords_and_exclusions_of_an_official_only_chat_stay_official() -> None:
    window = [article(1, official=True, regions=()), article(2, regions=()), article(3)]
    tariff = frozenset({1, 2, 3})
    keywords = Interests.of(keywords=["tariff"], official_only=True)
    assert shown(keywords, window, tariff=tariff) == [(1, ())]
    excluded = Interests.of(regions=["karaganda"], excludes=["tariff"], official_only=True)
    assert shown(excluded, [article(4, official=True), article(5)], tariff=frozenset({4})) == []


def test_nothing_official_means_an_empty_digest_not_the_press() -> None:
    digest = compose(build_window([article(1), article(2)]), OFFICIAL_KARAGANDA, "en", {})
    assert digest.is_empty and digest.overflow == 0
    assert digest.considered_ids == {1, 2}, "the watermark still moves past the press"


def test_the_setting_is_part_of_the_interests_value() -> None:
    """Delivery groups chats by interests (CompositionCache keys, shared compositions)."""
    assert KARAGANDA != OFFICIAL_KARAGANDA
    assert hash(KARAGANDA) != hash(OFFICIAL_KARAGANDA)
    assert len({KARAGANDA, OFFICIAL_KARAGANDA, Interests.of(regions=["karaganda"])}) == 2
    assert Interests.of(["karaganda"], official_only=True) == OFFICIAL_KARAGANDA


def test_a_story_is_official_when_any_version_is() -> None:
    press, release = article(1), article(2, official=True)
    assert DigestItem(press, (release,)).official
    assert DigestItem(release).official
    assert not DigestItem(press, (article(3),)).official


# ---- rendering --------------------------------------------------------------------------


def test_official_items_are_marked_in_every_language() -> None:
    window = [article(1, official=True), article(2)]
    for language, mark in MARKS.items():
        text = text_of(KARAGANDA, window, language)
        [official] = [line for line in text.splitlines() if "site1.kz" in line]
        assert official == f"site1.kz · {mark}"
        [press] = [line for line in text.splitlines() if "site2.kz" in line]
        assert press == "site2.kz"


def test_a_story_with_an_official_version_elsewhere_in_its_cluster_is_marked() -> None:
    window = [article(1, cluster=1), article(2, cluster=1, official=True)]
    text = text_of(KARAGANDA, window)
    assert f"site1.kz · {MARKS['en']}" in text
    assert "+1 source: site2.kz" in text


def test_an_official_article_without_a_link_still_shows_the_mark() -> None:
    window = [article(1, official=True, url="")]
    lines = text_of(KARAGANDA, window).splitlines()
    assert lines[-1] == MARKS["en"]


def test_the_scope_line_says_official_sources_only() -> None:
    window = [article(1, official=True)]
    assert text_of(OFFICIAL_KARAGANDA, window).splitlines()[1] == (
        "Karaganda region · 🏛 official sources only"
    )
    assert text_of(KARAGANDA, window).splitlines()[1] == "Karaganda region"


def test_one_renderer_keeps_the_two_scopes_apart() -> None:
    """A renderer serves a whole delivery run: its scope cache must key on the setting."""
    window = build_window([article(1, official=True)])
    renderer = DigestRenderer(default_translator().bind("en"), "en")
    both = [
        renderer.render(compose(window, interests, "en", {}), DAY).messages[0]
        for interests in (OFFICIAL_KARAGANDA, KARAGANDA, OFFICIAL_KARAGANDA)
    ]
    scopes = [visible_text(message).splitlines()[1] for message in both]
    assert scopes == [
        "Karaganda region · 🏛 official sources only",
        "Karaganda region",
        "Karaganda region · 🏛 official sources only",
    ]


def test_latest_and_search_lists_mark_official_articles() -> None:
    texts = default_translator().bind("ru")
    rendered = render_article_list([article(1, official=True), article(2)], texts)
    lines = [line for line in visible_text(rendered.messages[0]).splitlines() if line]
    assert lines[1] == f"site1.kz · 13 января 2025 · {MARKS['ru']}"
    assert lines[3] == "site2.kz · 13 января 2025"


# ---- properties -------------------------------------------------------------------------


@st.composite
def official_articles(draw: st.DrawFn) -> list[DigestArticle]:
    """Random hostile articles (the render properties' own), some of them official; the mark's
    emoji is taken out of their texts so marks can be counted."""
    window = draw(articles())
    return [
        replace(
            a,
            title=a.title.replace("🏛", ""),
            summary=a.summary.replace("🏛", ""),
            official=draw(st.booleans()),
            source=f"source:{draw(st.integers(1, 4))}",
        )
        for a in window
    ]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    official_articles(),
    INTERESTS,
    st.booleans(),
    hits(),
    st.sampled_from(["en", "ru", "kk"]),
    st.integers(0, 40),
    st.sampled_from([4096, 1500, 700]),
)
def test_official_only_digests_are_official_marked_valid_and_short(
    window: list[DigestArticle],
    interests: Interests,
    official_only: bool,
    keyword_hits: dict[str, frozenset[int]],
    language: str,
    limit: int,
    max_units: int,
) -> None:
    interests = replace(interests, official_only=official_only)
    digest = compose(build_window(window), interests, language, keyword_hits, limit=limit)
    rendered = render_digest(
        digest, default_translator().bind(language), day=DAY, max_units=max_units
    )
    visible = [visible_text(message) for message in rendered.messages]  # raises when invalid
    assert all(utf16_len(text) <= max_units for text in visible)
    if official_only:
        assert all(a.official for item in digest.items for a in (item.article, *item.others))
        press_too = replace(interests, official_only=False)
        everyone = compose(build_window(window), press_too, language, keyword_hits, limit=10_000)
        stories = {a.cluster_id for item in everyone.items for a in (item.article, *item.others)}
        assert {item.article.cluster_id for item in digest.items} <= stories
    scope = 1 if official_only and not digest.is_empty else 0
    marks = sum(item.official for item in digest.items)
    assert sum(text.count("🏛") for text in visible) == marks + scope
