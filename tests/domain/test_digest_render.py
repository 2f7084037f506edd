"""How a digest reads: header, sections, numbered items, sources, overflow, and splitting."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.domain.digest import (
    DigestArticle,
    Interests,
    Rendered,
    build_window,
    compose,
    render_article_list,
    render_digest,
    render_no_news,
)
from bot.domain.telegram_html import visible_len, visible_text
from bot.i18n import default_translator

DAY = date(2025, 1, 13)
T0 = datetime(2025, 1, 13, 6, tzinfo=UTC)


def article(
    id: int,
    title: str = "",
    *,
    summary: str = "A short summary.",
    regions: tuple[str, ...] = ("karaganda",),
    url: str | None = "https://www.gov.kz/memleket/1",
    cluster: int | None = None,
    language: str = "en",
) -> DigestArticle:
    return DigestArticle(
        id=id,
        title=title or f"Story number {id}",
        summary=summary,
        source_url=url,
        language=language,
        published_at=T0 + timedelta(minutes=id),
        regions=regions,
        topics=("economy",),
        cluster_id=id if cluster is None else cluster,
    )


def render(
    articles: list[DigestArticle],
    interests: Interests,
    language: str = "en",
    *,
    hits: Mapping[str, frozenset[int]] | None = None,
    limit: int = 15,
    max_units: int = 4096,
) -> Rendered:
    digest = compose(build_window(articles), interests, language, hits or {}, limit=limit)
    texts = default_translator().bind(language)
    return render_digest(digest, texts, day=DAY, max_units=max_units)


KARAGANDA = Interests.of(regions=["karaganda"])


@pytest.mark.parametrize(
    ("language", "header", "region"),
    [
        ("en", "News digest · 13 January 2025", "Karaganda region"),
        ("ru", "Дайджест новостей · 13 января 2025", "Карагандинская область"),
        ("kk", "Жаңалықтар дайджесі · 2025 жылғы 13 қаңтар", "Қарағанды облысы"),
    ],
)
def test_header_has_the_date_and_regions_in_the_chat_language(
    language: str, header: str, region: str
) -> None:
    (message,) = render([article(1)], KARAGANDA, language).messages
    first, second = visible_text(message).splitlines()[:2]
    assert first == header
    assert second == region


def test_article_text_is_escaped_and_shown_literally() -> None:
    hostile = article(1, "Tariffs <b>rise</b> & fall", summary="<script>alert(1)</script> &amp;")
    (message,) = render([hostile], KARAGANDA).messages
    assert "Tariffs &lt;b&gt;rise&lt;/b&gt; &amp; fall" in message
    text = visible_text(message)
    assert "Tariffs <b>rise</b> & fall" in text
    assert "<script>alert(1)</script> &amp;" in text


def test_item_links_its_source_and_names_the_site() -> None:
    (message,) = render([article(1, "Linked"), article(2, "Plain", url=None)], KARAGANDA).messages
    assert "<b>1.</b> Plain\nA short summary." in message
    assert (
        '<b>2.</b> <a href="https://www.gov.kz/memleket/1">Linked</a>\n'
        "A short summary.\n<i>gov.kz</i>"
    ) in message


def test_summary_is_cut_near_160_characters_on_a_word() -> None:
    long = article(1, summary="word " * 100)
    (message,) = render([long], KARAGANDA).messages
    line = visible_text(message).splitlines()[4]
    assert line.endswith("word…")
    assert 150 <= len(line) <= 160


def test_cluster_shows_once_with_its_other_sources_linked() -> None:
    story = [
        article(1, "Main", cluster=1),
        article(2, "Copy", cluster=1, url="https://www.kaz.kz/a"),
        article(3, "Копия", cluster=1, url="https://inform.kz/b", language="ru"),
    ]
    rendered = render(story, KARAGANDA)
    (message,) = rendered.messages
    assert "Copy" not in message and "Копия" not in message
    assert (
        '+2 sources: <a href="https://inform.kz/b">inform.kz</a>, '
        '<a href="https://www.kaz.kz/a">kaz.kz</a>'
    ) in message
    assert [item.article_id for item in rendered.items] == [1]  # one item for the story
    assert "+2 источника" in render(story, KARAGANDA, "ru").messages[0]


def test_a_story_told_in_three_languages_shows_the_readers_version_and_links_the_others() -> None:
    story = [
        article(1, "Тариф на воду", cluster=1, language="ru", url="https://www.gov.kz/n/1?lang=ru"),
        article(2, "Су тарифі", cluster=1, language="kk", url="https://www.gov.kz/n/1?lang=kk"),
        article(3, "Water tariff", cluster=1, language="en", url="https://www.gov.kz/n/1?lang=en"),
    ]
    for language, shown, others in (
        ("kk", "Су тарифі", "рус, eng"),
        ("ru", "Тариф на воду", "қаз, eng"),
        ("en", "Water tariff", "қаз, рус"),
    ):
        (message,) = render(story, KARAGANDA, language).messages
        text = visible_text(message)
        assert shown in text, language
        assert f"🌐 {others}" in text, language
        assert "source" not in text and "дереккөз" not in text  # one publisher, no other site
    (message,) = render(story, KARAGANDA, "kk").messages
    assert '<a href="https://www.gov.kz/n/1?lang=ru">рус</a>' in message


def test_without_the_readers_language_the_version_they_likely_read_is_shown() -> None:
    story = [
        article(1, "Water tariff", cluster=1, language="en"),
        article(2, "Тариф на воду", cluster=1, language="ru", url="https://inform.kz/r"),
    ]
    (message,) = render(story, KARAGANDA, "kk").messages
    text = visible_text(message)
    assert "Тариф на воду" in text and "Water tariff" not in text
    assert "+1 дереккөз: gov.kz · 🌐 eng" in text


def test_other_sites_and_other_languages_share_one_line() -> None:
    story = [
        article(1, "Main", cluster=1),
        article(2, "Копия", cluster=1, url="https://inform.kz/b", language="ru"),
        article(3, "Көшірме", cluster=1, url=None, language="kk"),
    ]
    (message,) = render(story, KARAGANDA).messages
    assert "+1 source: inform.kz · 🌐 қаз, рус" in visible_text(message)
    assert '🌐 қаз, <a href="https://inform.kz/b">рус</a>' in message  # kk has no link


def test_items_are_numbered_across_sections() -> None:
    articles = [
        article(1, regions=("turkestan",)),
        article(2, regions=("karaganda",)),
        article(3, regions=("turkestan",)),
        article(4, regions=("abai",)),
    ]
    interests = Interests.of(regions=["karaganda", "turkestan"], keywords=["k"])
    rendered = render(articles, interests, hits={"k": frozenset({4})})
    text = visible_text(rendered.messages[0])
    order = [
        line for line in text.splitlines() if line and line not in ("A short summary.", "gov.kz")
    ]
    assert order[2:] == [
        "Karaganda region",
        "1. Story number 2",
        "Turkestan region",
        "2. Story number 3",
        "3. Story number 1",
        "By your keywords",
        "4. Story number 4",
    ]
    assert [(item.number, item.article_id) for item in rendered.items] == [
        (1, 2),
        (2, 3),
        (3, 1),
        (4, 4),
    ]


@pytest.mark.parametrize(
    ("language", "line"),
    [
        ("en", "5 more stories are waiting: see /latest"),
        ("ru", "Ещё 5 новостей — смотрите /latest"),
        ("kk", "Тағы 5 жаңалық бар. Толығырақ: /latest"),
    ],
)
def test_overflow_line_says_how_many_more(language: str, line: str) -> None:
    many = [article(i) for i in range(1, 21)]
    rendered = render(many, KARAGANDA, language, limit=15)
    assert len(rendered.items) == 15
    assert visible_text(rendered.messages[-1]).endswith(line)


def test_long_digest_splits_between_items_with_part_marks() -> None:
    many = [article(i, "Title " * 40, summary="word " * 60) for i in range(1, 41)]
    rendered = render(many, KARAGANDA, limit=40, max_units=4096)
    total = len(rendered.messages)
    assert total > 1
    for index, message in enumerate(rendered.messages, start=1):
        assert visible_len(message) <= 4096
        assert visible_text(message).startswith(f"News digest · 13 January 2025 ({index}/{total})")
    numbers = [int(n) for m in rendered.messages for n in re.findall(r"<b>(\d+)\.</b>", m)]
    assert numbers == list(range(1, 41))


def test_heading_is_repeated_when_a_section_continues() -> None:
    many = [article(i, "Title " * 40, regions=("turkestan",)) for i in range(1, 31)]
    interests = Interests.of(regions=["karaganda", "turkestan"])
    rendered = render(many, interests, limit=30, max_units=2000)
    assert len(rendered.messages) > 2
    for message in rendered.messages:
        assert visible_text(message.split("\n\n")[1]) == "Turkestan region"


def test_a_huge_hostile_title_is_cut_to_fit_one_message() -> None:
    huge = article(1, "<&>😀 " * 2500, summary="x" * 10_000)
    for max_units in (4096, 600):
        (message,) = render([huge], KARAGANDA, max_units=max_units).messages
        assert visible_len(message) <= max_units
        assert "&lt;&amp;&gt;😀" in message


def test_empty_digest_renders_no_messages() -> None:
    assert render([article(1)], Interests.of(regions=["abai"])) == Rendered((), ())
    assert render([], KARAGANDA) == Rendered((), ())


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "No news on your subscriptions for 13 January 2025."),
        ("ru", "За 13 января 2025 новостей по вашим подпискам нет."),
        ("kk", "2025 жылғы 13 қаңтар: жазылымдарыңыз бойынша жаңалық жоқ."),
    ],
)
def test_no_news_note(language: str, text: str) -> None:
    assert render_no_news(default_translator().bind(language), day=DAY) == text


def test_compact_list_for_latest_and_search() -> None:
    texts = default_translator().bind("ru")
    items = [article(1, "A <first>"), article(2, "Second", url=None)]
    rendered = render_article_list(items, texts, heading="<b>Последние</b>", start=6)
    (message,) = rendered.messages
    assert visible_text(message) == (
        "Последние\n\n6. A <first>\ngov.kz · 13 января 2025\n\n7. Second\n13 января 2025"
    )
    assert [(item.number, item.article_id) for item in rendered.items] == [(6, 1), (7, 2)]
    assert render_article_list([], texts).messages == ()


def test_compact_list_splits_long_results() -> None:
    texts = default_translator().bind("en")
    items = [article(i, "Long title " * 30) for i in range(1, 60)]
    messages = render_article_list(items, texts, heading="<b>Found</b>").messages
    assert len(messages) > 1
    assert all(visible_len(message) <= 4096 for message in messages)


def test_no_budget_is_ever_exceeded_by_a_unit() -> None:
    """A sweep over limits catches off-by-a-few errors that random budgets rarely hit."""
    articles = [
        article(i, "Заголовок 😀 " * (i % 9 + 1), summary="слово " * (i * 7 % 40), cluster=i // 4)
        for i in range(1, 30)
    ]
    interests = Interests.of(regions=["karaganda", "turkestan"])
    digest = compose(build_window(articles), interests, "ru", {}, limit=30)
    texts = default_translator().bind("ru")
    split = 0
    for max_units in range(700, 3000, 3):
        messages = render_digest(digest, texts, day=DAY, max_units=max_units).messages
        assert max(visible_len(message) for message in messages) <= max_units
        split += len(messages) > 1
    assert split > 100
