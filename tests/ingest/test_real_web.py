"""Real feeds, article pages and listings from public test suites, read as they are.

The files live in shared/fixtures/real-web beside the repository (INDEX.md there says where
each comes from and what is odd about it); they are never copied in. Without that folder
these tests skip. Assertions are about shapes, never about the publishers' text.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import pytest

from bot.ingest.errors import SourceError
from bot.ingest.feeds import FeedItem, parse_feed
from bot.ingest.pages import MIN_ARTICLE_CHARS, extract_article, listing_links

REAL_WEB = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "real-web"
if not (REAL_WEB / "INDEX.md").is_file():
    pytest.skip(f"no real-web fixtures at {REAL_WEB}", allow_module_level=True)

INDEX = (REAL_WEB / "INDEX.md").read_text(encoding="utf-8")
ROWS = {
    match[1]: line
    for line in INDEX.splitlines()
    if (match := re.match(r"\| `((?:feeds|articles|listings)/[^`]+)`", line))
}
FEEDS = sorted(path.name for path in (REAL_WEB / "feeds").iterdir())
ARTICLES = sorted(path.name for path in (REAL_WEB / "articles").iterdir())
LISTINGS = sorted(path.name for path in (REAL_WEB / "listings").iterdir())
# What INDEX.md calls the pages that hold no article.
NO_ARTICLE = ("JavaScript single-page-app shell", "Bot-wall page")

# Feeds that are broken as served: the reason parse_feed gives instead of items.
BROKEN = {"reuters_truncated-malformed.xml": "feed.malformed"}  # cut off before its first item
# Dates the bot cannot read, and why.
UNREADABLE_DATES = {
    "uol-br_undeclared-latin1_localized-dates.rss": "pubDate in Portuguese («Seg, 24 Set 2018»); "
    "month names are read in Russian, Kazakh and English",
}
# What htmldate (inside trafilatura) gets wrong on a page that has a date.
WRONG_PAGE_DATES = {
    "en_news-az_2020-10-13.html": "htmldate takes the header's «today» (the day it was saved)",
}
_ITEM = re.compile(rb"<(item|entry)\b.*?</\1\s*>", re.S)
_DATE_ELEMENT = re.compile(rb"<(?:pubDate|published|updated|dc:date|created)\b[^>]*>\s*[^<\s]")
# UTF-8 read as a single-byte code page, or the other way round.
_MOJIBAKE = re.compile("\ufffd|[ÐÑ][\x80-\xbf]|Ã[\x80-\xbf]|Р[°µ±ѕ]|С[ЂЃ‚ѓ„…†‡€‰Љ‹ЊЌЋЏ]")


def feed_bytes(name: str) -> bytes:
    return (REAL_WEB / "feeds" / name).read_bytes()


def parsed(name: str) -> list[FeedItem]:
    return parse_feed(feed_bytes(name), url=f"https://feeds.example.com/{name}", content_type=None)


@pytest.mark.parametrize("name", [name for name in FEEDS if name not in BROKEN])
def test_feed_items_have_titles_and_links(name: str) -> None:
    items = parsed(name)
    assert len(items) == len(_ITEM.findall(feed_bytes(name)))
    assert items
    for item in items:
        assert item.title
        assert not _MOJIBAKE.search(item.title + item.body), item.title
        assert item.url is not None
        assert urlsplit(item.url).scheme in ("http", "https")


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=UNREADABLE_DATES[name]))
        if name in UNREADABLE_DATES
        else name
        for name in FEEDS
        if name not in BROKEN
    ],
)
def test_feed_dates_where_the_file_has_them(name: str) -> None:
    dated_in_file = sum(bool(_DATE_ELEMENT.search(item)) for item in _item_texts(name))
    items = parsed(name)
    assert sum(item.published is not None for item in items) == dated_in_file
    for item in items:
        if item.published is not None:
            assert item.published.tzinfo is UTC
            assert datetime(1995, 1, 1, tzinfo=UTC) < item.published < datetime.now(UTC)


def _item_texts(name: str) -> list[bytes]:
    return [match.group() for match in _ITEM.finditer(feed_bytes(name))]


@pytest.mark.parametrize(("name", "reason"), BROKEN.items())
def test_broken_feeds_give_a_reason(name: str, reason: str) -> None:
    with pytest.raises(SourceError) as raised:
        parsed(name)
    assert raised.value.reason == reason


def test_latin1_feeds_keep_their_accents() -> None:
    for name in FEEDS:
        if "iso-8859-1" in name or "latin1" in name:
            text = " ".join(item.title for item in parsed(name))
            assert re.search("[ãõçéêíóúâáà]", text), name


@pytest.mark.parametrize("name", ARTICLES)
def test_article_pages(name: str) -> None:
    page = (REAL_WEB / "articles" / name).read_bytes()
    item = extract_article(page, url=f"https://news.example.com/{name}")
    if any(mark in ROWS[f"articles/{name}"] for mark in NO_ARTICLE):
        assert item is None
        return
    assert item is not None
    assert item.title
    assert len(item.body) >= MIN_ARTICLE_CHARS
    assert not _MOJIBAKE.search(item.title + item.body)
    if name.startswith(("ru_", "kz_", "uk_", "bg_")):  # Cyrillic pages
        assert re.search("[а-яА-Я]{4}", item.body)


def expected_date(name: str) -> date | None:
    """The ground-truth date in INDEX.md's "outlet / lang / expected date" column."""
    found = re.search(r"\b20\d\d-\d\d-\d\d\b", ROWS[f"articles/{name}"].split("|")[3])
    return None if found is None else date.fromisoformat(found.group())


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=WRONG_PAGE_DATES[name]))
        if name in WRONG_PAGE_DATES
        else name
        for name in ARTICLES
        if expected_date(name) is not None
    ],
)
def test_article_dates_match_the_ground_truth(name: str) -> None:
    expected = expected_date(name)
    item = extract_article((REAL_WEB / "articles" / name).read_bytes(), url="https://x.example/")
    assert item is not None
    assert item.published is not None
    assert expected is not None
    # A day either way: the ground truth is the local day, and TASS publishes after midnight.
    assert abs(item.published.date() - expected) <= timedelta(days=1)


@pytest.mark.parametrize("name", LISTINGS)
def test_listings_yield_article_links(name: str) -> None:
    page = (REAL_WEB / "listings" / name).read_bytes()
    url = _own_address(page)
    links = listing_links(page, url=url, limit=500)
    assert links
    site = urlsplit(url).hostname or ""
    for link in links:
        parts = urlsplit(link)
        assert (parts.hostname or "").removeprefix("www.") == site.removeprefix("www.")
        last = parts.path.rstrip("/").rpartition("/")[2]
        assert (
            any(char.isdigit() for char in parts.path + parts.query) or "-" in last or "_" in last
        )


def test_a_news_front_page_yields_many_articles() -> None:
    page = (REAL_WEB / "listings" / "en_cnn_homepage.html").read_bytes()
    links = listing_links(page, url=_own_address(page), limit=500)
    dated = [link for link in links if re.search(r"/20\d\d/\d\d/\d\d/", link)]
    assert len(dated) >= 50
    assert links[0] in dated  # section pages (/WORLD/, /video/) come first on the page


def _own_address(page: bytes) -> str:
    """The page's canonical or og:url address: where its relative links point."""
    tree = lxml.html.fromstring(page)
    found = tree.xpath("//link[@rel='canonical']/@href | //meta[@property='og:url']/@content")
    assert found
    return str(found[0]).strip()
