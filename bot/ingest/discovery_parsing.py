"""What a parsing worker does for feed discovery: the feeds a web page declares, and whether
fetched bytes are a feed at all (its title and how many items it has).

CPU work on untrusted bytes, so `bot.ingest.discovery` runs it in `ParsingPool` workers under
a budget. Module-level functions, so they pickle by reference.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import urlsplit

from lxml import etree  # type: ignore[import-untyped]  # no stubs; trafilatura depends on it

from bot.ingest.errors import SourceError
from bot.ingest.feeds import parse_feed
from bot.ingest.html_text import html_to_text, looks_like_html_page, one_line
from bot.ingest.items import absolute_http_url
from bot.ingest.source_parsing import MAX_FEED_ITEMS, first_items

# The media types of `<link rel="alternate">` that name a feed we can poll (RSS 1.0 is RDF).
# Not application/feed+json: feedparser 6.0, which polls feeds, cannot read JSON Feed.
FEED_TYPES: Final = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/rdf+xml"}
)
# Declared feeds read from one page: sites list a comments feed per post, tags, categories...
MAX_LINKS: Final = 20
TITLE_MAX_CHARS: Final = 200
_ALTERNATES: Final = "//link[@href][@type][@rel]"
_FEED_TITLE: Final = (
    "./*[local-name()='channel']/*[local-name()='title'] | ./*[local-name()='title']"
)
_DEFAULT_PORTS: Final = {"http": 80, "https": 443}


@dataclass(frozen=True, slots=True)
class FeedSummary:
    """A document that parsed as a feed: its title ("" when it has none) and item count."""

    title: str
    items: int


@dataclass(frozen=True, slots=True)
class PageFindings:
    """A fetched address: either a feed itself, or a page and the feeds it declares."""

    feed: FeedSummary | None
    links: tuple[str, ...] = ()


def inspect_page(body: bytes, *, url: str, content_type: str | None) -> PageFindings:
    """The address given to discovery: a feed (then no links are looked for) or a page with
    `<link rel="alternate">` feeds, absolute, in page order, at most MAX_LINKS."""
    if not looks_like_html_page(body):
        summary = summarise_feed(body, url=url, content_type=content_type)
        if summary is not None:
            return PageFindings(summary)
    return PageFindings(None, tuple(feed_links(body, url=url, limit=MAX_LINKS)))


def summarise_feed(body: bytes, *, url: str, content_type: str | None) -> FeedSummary | None:
    """Title and item count when `body` parses as a feed with a title or at least one item."""
    head, cut = first_items(body, MAX_FEED_ITEMS)
    try:
        items = parse_feed(head, url=url, content_type=content_type)
    except SourceError:
        return None
    title = feed_title(head)
    if not title and not items:
        return None
    return FeedSummary(title, len(items) + cut)


def feed_title(body: bytes) -> str:
    """The feed's own title (RSS or Atom), one line; "" if none.

    Read with lxml's recovering parser from the part before the first item, entities left
    unexpanded and nothing fetched; feedparser, which `parse_feed` uses, keeps the title to
    itself.
    """
    ends = [at for at in (body.find(b"<item"), body.find(b"<entry")) if at >= 0]
    head = body[: min(ends)] if ends else body
    parser = etree.XMLParser(
        recover=True,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(head, parser)
    except (etree.XMLSyntaxError, ValueError, LookupError):
        return ""
    if root is None:
        return ""
    found = root.xpath(_FEED_TITLE)
    if not isinstance(found, list) or not found or not isinstance(found[0], etree._Element):
        return ""
    text = "".join(found[0].itertext())
    return _clean_title(html_to_text(text) if "<" in text else text)


def _clean_title(text: str) -> str:
    return one_line(text)[:TITLE_MAX_CHARS]


def feed_links(body: bytes, *, url: str, limit: int) -> list[str]:
    """The feeds a page declares with `<link rel="alternate" type="…rss+xml|atom+xml|…">`,
    resolved against `<base href>` or `url`, de-duplicated, in page order."""
    from trafilatura.utils import load_html  # heavy; workers have it preloaded

    if limit <= 0 or not body.strip():
        return []
    tree = load_html(body)
    if tree is None:
        return []
    base = _base_url(tree, url)
    links: list[str] = []
    for element in tree.xpath(_ALTERNATES):
        rel = str(element.get("rel", "")).lower().split()
        media_type = str(element.get("type", "")).partition(";")[0].strip().lower()
        if "alternate" not in rel or media_type not in FEED_TYPES:
            continue
        link = absolute_http_url(str(element.get("href")), base=base)
        if link is not None and link not in links:
            links.append(link)
            if len(links) >= limit:
                break
    return links


def _base_url(tree: Any, url: str) -> str:
    """A `<base href>` in the page changes what relative links mean."""
    for href in tree.xpath("//head/base/@href"):
        if resolved := absolute_http_url(str(href), base=url):
            return resolved
    return url


def same_site(url: str, other: str) -> bool:
    """Whether two addresses are on one site: the same host (a leading "www." aside) and the
    same port (http and https on their default ports count as one site)."""
    return _site(url) == _site(other)


def _site(url: str) -> tuple[str, int | None]:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return ("", None)
    host = (parts.hostname or "").lower().rstrip(".").removeprefix("www.")
    if port == _DEFAULT_PORTS.get(parts.scheme):
        port = None
    return (host, port)
