"""Properties of rendered digests over random, hostile articles and subscriptions."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from bot.domain.digest import (
    DigestArticle,
    Interests,
    build_window,
    compose,
    render_article_list,
    render_digest,
)
from bot.domain.digest.text import one_line
from bot.domain.telegram_html import utf16_len, visible_text
from bot.i18n import default_translator

REGIONS = ("karaganda", "turkestan", "astana", "national")
TOPICS = ("economy", "health", "transport")
PHRASES = ("tariff", "flood", "school")
T0 = datetime(2025, 1, 13, tzinfo=UTC)

HOSTILE = st.sampled_from(
    [
        "",
        " ",
        "Tariffs <b>rise</b> & fall",
        "<script>alert('x')</script>",
        "&amp; &lt; &#128512; &",
        "😀👨‍👩‍👧🇰🇿𝔸 astral",
        "مرحبا بالعالم עברית",
        "zero\u200bwidth\u200d\ufeffjoiners",
        "</a></b><b><i>",
        "quote \" and ' marks",
        "new\nlines\tand\r\ntabs",
    ]
)
TEXT = st.one_of(
    HOSTILE,
    st.text(max_size=300),
    st.builds(
        lambda piece, times: piece * times, HOSTILE | st.text(min_size=1), st.integers(1, 2000)
    ),
)
LONG = st.text(min_size=150, max_size=400) | TEXT
URL = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "https://www.gov.kz/memleket/entities/karaganda/press/news/details/1",
            "https://kaz.kz/a?b=1&c=<2>",
            'https://inform.kz/"quoted"',
            "javascript:alert(1)",
            "https://" + "long" * 70 + ".kz/x",
            "https://xn--80ak6aa92e.com/path",
        ]
    ),
    st.builds(lambda text: f"https://site.kz/{text}", st.text(max_size=50)),
)


@st.composite
def articles(draw: st.DrawFn) -> list[DigestArticle]:
    count = draw(st.integers(0, 30))
    result = []
    for id in range(1, count + 1):
        result.append(
            DigestArticle(
                id=id,
                title=draw(TEXT),
                summary=draw(TEXT),
                source_url=draw(URL),
                language=draw(st.sampled_from(["en", "ru", "kk"])),
                published_at=T0 + timedelta(minutes=draw(st.integers(0, 3000))),
                regions=tuple(draw(st.sets(st.sampled_from(REGIONS), max_size=2))),
                topics=tuple(draw(st.sets(st.sampled_from(TOPICS), max_size=2))),
                cluster_id=draw(st.integers(1, max(1, count // 2))),
            )
        )
    return result


INTERESTS = st.builds(
    Interests.of,
    st.lists(st.sampled_from(REGIONS), max_size=3),
    st.lists(st.sampled_from(TOPICS), max_size=2),
    st.lists(st.sampled_from(PHRASES), max_size=2),
    st.lists(st.sampled_from(PHRASES), max_size=1),
)


@st.composite
def hits(draw: st.DrawFn) -> dict[str, frozenset[int]]:
    return {phrase: frozenset(draw(st.sets(st.integers(1, 30)))) for phrase in PHRASES}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    articles(),
    INTERESTS,
    hits(),
    st.sampled_from(["en", "ru", "kk"]),
    st.integers(0, 40),
    st.sampled_from([4096, 1500, 900, 700]),
)
def test_every_message_is_valid_short_and_every_story_appears_once(
    window: list[DigestArticle],
    interests: Interests,
    keyword_hits: dict[str, frozenset[int]],
    language: str,
    limit: int,
    max_units: int,
) -> None:
    digest = compose(build_window(window), interests, language, keyword_hits, limit=limit)
    texts = default_translator().bind(language)
    rendered = render_digest(digest, texts, day=date(2025, 1, 13), max_units=max_units)

    visible = [visible_text(message) for message in rendered.messages]  # raises when invalid
    assert all(utf16_len(text) <= max_units for text in visible)
    assert bool(rendered.messages) == (not digest.is_empty)
    assert len(rendered.items) == len(digest.items) <= limit

    numbers = [int(n) for m in rendered.messages for n in re.findall(r"<b>(\d+)\.</b> ", m)]
    assert numbers == list(range(1, len(digest.items) + 1))
    assert [item.article_id for item in rendered.items] == [item.ids[0] for item in digest.items]
    shown = [i for item in digest.items for i in item.ids]
    assert len(shown) == len(set(shown))
    assert set(shown) <= {a.id for a in window}

    by_id = {a.id: a for a in window}
    for item in rendered.items:
        title = one_line(by_id[item.article_id].title)
        holder = next(
            t
            for t, m in zip(visible, rendered.messages, strict=True)
            if f"<b>{item.number}.</b> " in m
        )
        assert title[:20] in holder or (len(title) > 20 and "…" in holder)
    event(f"parts={len(rendered.messages)}")
    if len(rendered.messages) > 1:
        total = len(rendered.messages)
        for index, text in enumerate(visible, start=1):
            assert f"({index}/{total})" in text.splitlines()[0]


@settings(max_examples=60, deadline=None)
@given(articles(), st.sampled_from(["en", "ru", "kk"]), st.integers(1, 500))
def test_compact_lists_are_valid_and_short(
    window: list[DigestArticle], language: str, start: int
) -> None:
    texts = default_translator().bind(language)
    rendered = render_article_list(window, texts, heading="<b>Latest</b>", start=start)
    assert all(utf16_len(visible_text(message)) <= 4096 for message in rendered.messages)
    numbers = [int(n) for m in rendered.messages for n in re.findall(r"<b>(\d+)\.</b> ", m)]
    assert numbers == list(range(start, start + len(window)))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(LONG, LONG, URL, st.sampled_from(REGIONS)), min_size=5, max_size=40),
    st.sampled_from(["en", "ru", "kk"]),
    st.integers(700, 4096),
)
def test_long_digests_split_within_any_budget(
    rows: list[tuple[str, str, str | None, str]], language: str, max_units: int
) -> None:
    window = [
        DigestArticle(
            id, title, summary, url, "en", T0 + timedelta(minutes=id), (region,), (), id // 3
        )
        for id, (title, summary, url, region) in enumerate(rows, start=1)
    ]
    interests = Interests.of(regions=REGIONS)
    digest = compose(build_window(window), interests, language, {}, limit=40)
    rendered = render_digest(
        digest, default_translator().bind(language), day=date(2025, 1, 13), max_units=max_units
    )
    event(f"parts={min(len(rendered.messages), 3)}")
    assert all(utf16_len(visible_text(message)) <= max_units for message in rendered.messages)
    numbers = [int(n) for m in rendered.messages for n in re.findall(r"<b>(\d+)\.</b> ", m)]
    assert numbers == list(range(1, len(digest.items) + 1))
