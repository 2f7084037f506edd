"""Article pages and news listings: main text with trafilatura, same-site article links."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.ingest.fetch import fetch
from bot.ingest.pages import MIN_ARTICLE_CHARS, extract_article, listing_links
from tests.ingest.http_server import LocalServer, respond
from tests.ingest.samples import page_bytes

SITE = "https://karaganda.example.kz"
ARTICLE_URL = f"{SITE}/ru/news/2025/01/roads-40-streets?utm_source=tg"
LISTING_URL = f"{SITE}/ru/news"


def page(body: str, head: str = "") -> bytes:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>".encode()


def test_article_title_text_date_and_canonical_url() -> None:
    item = extract_article(page_bytes("article-ru.html"), url=ARTICLE_URL)
    assert item is not None
    assert item.title == "В Караганде отремонтируют 40 улиц"
    assert item.url == f"{SITE}/ru/news/2025/01/roads-40-streets"  # declared canonical
    assert item.published == datetime(2025, 1, 13, tzinfo=UTC)
    assert item.body.startswith("В этом году в Караганде отремонтируют 40 улиц")
    assert "14,2 миллиарда тенге" in item.body
    assert item.body.endswith("на главных перекрёстках.")
    for furniture in ("Главная", "Контакты", "Все права защищены", "Политика"):
        assert furniture not in item.body
    assert len(item.body.split("\n")) == 4  # one line per paragraph


def test_article_without_canonical_keeps_the_page_url() -> None:
    paragraphs = "".join(
        f"<p>Абзац {n}: в Актау построят новую набережную длиной три километра, "
        f"работы завершат к лету, сообщили в акимате Мангистауской области.</p>"
        for n in range(4)
    )
    html = page(f"<article><h1>Набережная в Актау</h1>{paragraphs}</article>", "<title>x</title>")
    item = extract_article(html, url="https://aktau.example.kz/news/1")
    assert item is not None
    assert item.url == "https://aktau.example.kz/news/1"
    assert item.title == "Набережная в Актау"
    assert item.body.startswith("Абзац 0:")


@pytest.mark.parametrize("html", [b"", b"   ", b"\x00\x01\x02", page("")])
def test_pages_without_text_give_none(html: bytes) -> None:
    assert extract_article(html, url="https://example.kz/a") is None


def test_listing_links_are_same_site_articles_in_page_order() -> None:
    links = listing_links(page_bytes("listing-ru.html"), url=LISTING_URL, limit=20)
    assert links == [
        f"{SITE}/ru/news/2025/01/roads-40-streets",  # image and title link: once
        f"{SITE}/ru/2025/01/new-school",  # relative, fragment dropped
        "https://www.karaganda.example.kz/ru/news/2025/01/heating-tariffs",  # www. is the site
        f"{SITE}/ru/news/2025/01/airport-terminal",  # utm_* dropped
    ]


def test_listing_limit() -> None:
    links = listing_links(page_bytes("listing-ru.html"), url=LISTING_URL, limit=2)
    assert links == [f"{SITE}/ru/news/2025/01/roads-40-streets", f"{SITE}/ru/2025/01/new-school"]
    assert listing_links(page_bytes("listing-ru.html"), url=LISTING_URL, limit=0) == []


def test_listing_paging_versus_query_articles() -> None:
    html = page(
        '<a href="/news.php?page=2">2</a><a href="/news.php?id=7">A</a>'
        '<a href="/news.php?id=8&amp;utm_medium=x">B</a><a href="/">Home</a>'
    )
    assert listing_links(html, url="http://old.example.kz/news.php", limit=10) == [
        "http://old.example.kz/news.php?id=7",
        "http://old.example.kz/news.php?id=8",
    ]


def test_listing_respects_base_href() -> None:
    html = page('<a href="story-1">S</a>', head='<base href="https://example.kz/ru/news/">')
    assert listing_links(html, url="https://example.kz/list", limit=5) == [
        "https://example.kz/ru/news/story-1"
    ]


@pytest.mark.parametrize("html", [b"", b"plain text, no html", page("<p>No links</p>")])
def test_listing_without_links(html: bytes) -> None:
    assert listing_links(html, url=LISTING_URL, limit=5) == []


@settings(max_examples=50)
@given(
    st.lists(
        st.sampled_from(
            [
                "/ru/news/a-1",
                "ru/news/b-2#x",
                "//karaganda.example.kz/c",
                "https://x.kz/d",
                "mailto:a@b",
                "javascript:0",
                "/",
                "?page=3",
                "/ru/news/a-1",
                "http://[::1",
                "/file.pdf",
                "/ru/tag/x",
                "https://WWW.Karaganda.example.kz/e?utm_source=1",
            ]
        ),
        max_size=20,
    ),
    st.integers(min_value=1, max_value=8),
)
def test_listing_links_invariants(hrefs: list[str], limit: int) -> None:
    html = page("".join(f'<a href="{href}">link</a>' for href in hrefs))
    links = listing_links(html, url=LISTING_URL, limit=limit)
    assert len(links) <= limit
    assert len(set(links)) == len(links)
    for link in links:
        parts = urlsplit(link)
        assert parts.scheme == "https"
        assert (parts.hostname or "").removeprefix("www.") == "karaganda.example.kz"
        assert not parts.fragment
        assert "utm_" not in parts.query


async def test_served_article_and_listing(server: LocalServer, client: httpx.AsyncClient) -> None:
    html_type = [("Content-Type", "text/html; charset=utf-8")]
    listing_url = server.route(
        "/ru/news", respond(200, page_bytes("listing-ru.html"), headers=html_type)
    )
    server.route(
        "/ru/news/2025/01/roads-40-streets",
        respond(200, page_bytes("article-ru.html"), headers=html_type),
    )
    listing = await fetch(
        client, listing_url, etag=None, last_modified=None, max_bytes=10**6, timeout=5
    )
    links = listing_links(listing.body, url=listing.final_url, limit=10)
    assert links[0] == server.url("/ru/news/2025/01/roads-40-streets")
    assert not any("www.karaganda" in link for link in links)  # another host than 127.0.0.1
    article_page = await fetch(
        client, links[0], etag=None, last_modified=None, max_bytes=10**6, timeout=5
    )
    item = extract_article(article_page.body, url=article_page.final_url)
    assert item is not None
    assert item.url == links[0]  # the relative canonical resolves against the served URL
    assert item.title == "В Караганде отремонтируют 40 улиц"


SPA_SHELL = (
    b'<!DOCTYPE html><html><head><title>App</title><script src="/static/js/main.3f2a.js">'
    b"</script></head><body><noscript>You need to enable JavaScript to run this app."
    b'</noscript><div id="root"></div></body></html>'
)
# Long enough to be an article by length alone: only the wall rule or <noscript> stops them.
WALL_PADDING = "This process is automatic and your request will be answered in a moment. " * 3


@pytest.mark.parametrize(
    "html",
    [
        SPA_SHELL,
        SPA_SHELL.replace(b"<noscript>", b"<noscript><p>").replace(b"</no", b"</p></no"),
        page(f"<div><p>Please enable cookies to continue. {WALL_PADDING}</p></div>"),
        page(f"<main><h1>Checking your browser before accessing</h1><p>{WALL_PADDING}</p></main>"),
        page(f"<article><p>Для просмотра сайта включите JavaScript. {WALL_PADDING}</p></article>"),
        page(f"<noscript><article><h1>Robots</h1><p>{WALL_PADDING}</p></article></noscript>"),
        page("<article><h1>Teaser</h1><p>Roads will be repaired. Read more soon.</p></article>"),
    ],
    ids=["spa", "spa-paragraph", "cookie-wall", "browser-check", "ru-wall", "noscript", "short"],
)
def test_pages_without_an_article_give_none(html: bytes) -> None:
    assert extract_article(html, url="https://example.kz/news/1") is None


def article_paragraphs(count: int) -> str:
    return "".join(
        f"<p>Абзац {n}: в Павлодаре откроют новую поликлинику на 500 посещений в смену, "
        f"строительство завершат осенью, сообщили в управлении здравоохранения.</p>"
        for n in range(count)
    )


def test_noscript_notes_are_not_part_of_an_article() -> None:
    html = page(
        f"<article><h1>Поликлиника в Павлодаре</h1>{article_paragraphs(2)}"
        "<noscript>Please enable JavaScript to view the comments.</noscript></article>"
    )
    item = extract_article(html, url="https://pavlodar.example.kz/news/2")
    assert item is not None
    assert item.body.startswith("Абзац 0:")
    assert "JavaScript" not in item.body


def test_a_long_article_may_mention_enabling_javascript() -> None:
    note = "<p>Чтобы записаться онлайн, включите JavaScript в браузере и откройте портал.</p>"
    html = page(f"<article><h1>Запись к врачу</h1>{article_paragraphs(4)}{note}</article>")
    item = extract_article(html, url="https://pavlodar.example.kz/news/3")
    assert item is not None
    assert "включите JavaScript" in item.body


def test_a_one_sentence_brief_is_an_article() -> None:
    html = page(f"<article><h1>Кратко</h1>{article_paragraphs(1)}</article>")
    item = extract_article(html, url="https://pavlodar.example.kz/news/4")
    assert item is not None
    assert item.body.startswith("Абзац 0:")


@pytest.mark.parametrize("length", [MIN_ARTICLE_CHARS - 1, MIN_ARTICLE_CHARS])
def test_minimum_article_length(length: int) -> None:
    text = ("Дорогу отремонтируют к осени. " * 10)[: length - 1] + "."
    html = page(f"<article><h1>Дорога</h1><p>{text}</p></article>")
    item = extract_article(html, url="https://pavlodar.example.kz/news/5")
    assert (item is not None) == (length >= MIN_ARTICLE_CHARS)


# Russian and Kazakh pages: charsets, dates written for people, JavaScript shells, sections.
LEAD = (
    "Аким области провёл встречу с жителями микрорайона и пообещал, что ремонт дорог "
    "завершат до конца лета, а освещение улиц заменят на светодиодное. "
)


def article(meta: str = "", dated: str = "") -> str:
    return (
        f"<!DOCTYPE html><html><head>{meta}<title>Ремонт дорог</title></head><body><article>"
        f"<h1>Ремонт дорог в Павлодаре</h1>{dated}<p>{LEAD * 3}</p><p>{LEAD}</p>"
        "</article></body></html>"
    )


@pytest.mark.parametrize(
    ("encoding", "meta", "content_type"),
    [
        ("cp1251", '<meta charset="windows-1251">', None),
        ("cp1251", "", "text/html; charset=windows-1251"),
        ("cp1251", "", None),  # detected
        ("koi8_r", '<meta charset="koi8-r">', "text/html; charset=windows-1251"),  # detected
        ("utf-8", '<meta charset="windows-1251">', "text/html; charset=windows-1251"),
    ],
)
def test_cyrillic_page_encodings(encoding: str, meta: str, content_type: str | None) -> None:
    html = article(meta).encode(encoding)
    item = extract_article(html, url="https://pavlodar.example.kz/ru/1", content_type=content_type)
    assert item is not None
    assert item.title == "Ремонт дорог в Павлодаре"
    assert item.body.startswith("Аким области провёл встречу")


ALMATY = ZoneInfo("Asia/Almaty")
NOW = datetime(2025, 3, 14, 10, 0, tzinfo=UTC)  # 15:00 in Almaty


@pytest.mark.parametrize(
    ("dated", "expected"),
    [
        # trafilatura reads only «2025» of this and says 1 January.
        ('<div class="news-date">2025 жылғы 12 наурыз</div>', datetime(2025, 3, 12, tzinfo=ALMATY)),
        ('<span class="date">сегодня, 14:05</span>', datetime(2025, 3, 14, 14, 5, tzinfo=ALMATY)),
        ("<time>бүгін, 09:30</time>", datetime(2025, 3, 14, 9, 30, tzinfo=ALMATY)),
        ("<p>Кеше, 18:40 · 1 204 қаралым</p>", datetime(2025, 3, 13, 18, 40, tzinfo=ALMATY)),
        # trafilatura's own date, as before: midnight UTC.
        ('<div class="date">12 марта 2025</div>', datetime(2025, 3, 12, tzinfo=UTC)),
        ("", None),
    ],
)
def test_dates_written_for_people(dated: str, expected: datetime | None) -> None:
    html = article(dated=dated).encode()
    item = extract_article(html, url="https://e.kz/ru/1", now=NOW, zone=ALMATY)
    assert item is not None
    assert item.published == expected


def test_relative_dates_need_now() -> None:
    html = article(dated='<span class="date">сегодня, 14:05</span>').encode()
    item = extract_article(html, url="https://e.kz/ru/1")
    assert item is not None
    assert item.published is None


def test_unrendered_template_is_no_article() -> None:
    shell = "".join(
        f"<p>{{{{ctrl.article.paragraphs[{n}].text | translate : 'ru'}}}} — {{{{ctrl.author}}}}</p>"
        for n in range(8)
    )
    html = page(f"<article><h1>Загрузка…</h1>{shell}<p>Обновить страницу</p></article>")
    assert extract_article(html, url="https://e.kz/ru/1") is None


def test_an_article_may_quote_a_template() -> None:
    html = article(dated="<p>В шаблоне пишут {{ name }}, и это не мешает.</p>").encode()
    assert extract_article(html, url="https://e.kz/ru/1") is not None


def test_listing_skips_section_pages() -> None:
    encoded = "/ru/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8"  # /ru/новости
    html = page(
        '<a href="/ru/sport/">Спорт</a><a href="/WORLD/">World</a><a href="/ru/about.html">О</a>'
        '<a href="/ru/news/remont-dorog">A</a><a href="/ru/news/12345">B</a>'
        f'<a href="{encoded}">C</a><a href="/ru/новости/ремонт-дорог">D</a>'
    )
    assert listing_links(html, url="https://e.kz/ru/", limit=10) == [
        "https://e.kz/ru/news/remont-dorog",
        "https://e.kz/ru/news/12345",
        f"https://e.kz{encoded}",
        "https://e.kz/ru/новости/ремонт-дорог",
    ]


def test_windows_1251_listing_keeps_cyrillic_links() -> None:
    html = page('<a href="/ru/новости/ремонт-дорог">Ремонт</a>').decode().encode("cp1251")
    for content_type in (None, "text/html; charset=windows-1251"):
        assert listing_links(html, url="https://e.kz/ru/", limit=5, content_type=content_type) == [
            "https://e.kz/ru/новости/ремонт-дорог"
        ]
