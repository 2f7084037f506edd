"""Web pages: one article's main text (trafilatura), or the article links of a news listing."""

from __future__ import annotations

import re
from datetime import UTC, datetime, tzinfo
from typing import Any, Final
from urllib.parse import parse_qsl, urlencode, urlsplit

from trafilatura import bare_extraction
from trafilatura.settings import Document
from trafilatura.utils import load_html

from bot.ingest.charsets import html_text
from bot.ingest.html_text import one_line, tidy_text
from bot.ingest.items import FeedItem, absolute_http_url, cap_body
from bot.ingest.page_dates import date_places, page_date

# Links in these parts of a page are site furniture, not the listing's articles.
_FURNITURE: Final = (
    "ancestor::nav or ancestor::header or ancestor::footer or ancestor::aside"
    " or ancestor::*[@role='navigation' or @role='banner' or @role='contentinfo']"
    " or ancestor::*[contains(concat(' ', normalize-space(@class), ' '), ' breadcrumbs ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' breadcrumb ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' pagination ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' pager ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' menu ')]"
)
_CONTENT_LINKS: Final = f"//a[@href][not({_FURNITURE})]/@href"
_NOT_ARTICLE_SEGMENTS: Final = frozenset(
    {"tag", "tags", "category", "categories", "rubric", "author", "authors", "search"}
    | {"login", "register", "page", "feed", "rss", "print", "share"}
)
_PAGING_KEYS: Final = frozenset(
    {"page", "p", "pg", "start", "offset", "from", "sort", "order", "lang", "year", "month"}
)
# Shorter than a one-sentence news brief: a teaser, a caption, a placeholder.
MIN_ARTICLE_CHARS: Final = 100
# Bot walls say little; an article that tells readers to enable JavaScript says more.
_WALL_MAX_CHARS: Final = 500
_WALL: Final = re.compile(
    r"(?:enable|turn on|activate|allow) (?:javascript|js|cookies)"
    r"|(?:javascript|cookies) (?:is |are |must be )?(?:disabled|required|enabled)"
    r"|checking (?:if the site connection is secure|your browser)"
    r"|verify (?:that )?you are (?:a )?human|are you a robot"
    r"|(?:включите|включить|разрешите) (?:javascript|js|cookies?|куки)"
    r"|проверка (?:браузера|безопасности)|javascript қосыңыз|cookie қосыңыз",
    re.I,
)
# What a JavaScript app's template shows before its scripts run: AngularJS, Vue, Handlebars.
_PLACEHOLDER: Final = re.compile(r"\{\{[^{}]{0,500}\}\}")
# Placeholders take at least this share of an unrendered page's text.
_UNRENDERED_SHARE: Final = 0.25
_NOT_PAGE_EXTENSION: Final = re.compile(
    r"\.(?:jpe?g|png|gif|webp|svg|ico|pdf|docx?|xlsx?|pptx?|zip|rar|7z|mp[34]|avi|mov"
    r"|css|js|json|xml|rss|atom|txt|csv)$",
    re.I,
)


def extract_article(
    html: bytes,
    *,
    url: str,
    content_type: str | None = None,
    now: datetime | None = None,
    zone: tzinfo = UTC,
) -> FeedItem | None:
    """The page's article: title, main text, date when found, canonical URL when declared.

    None when the page holds no article: trafilatura finds no main text (an index page, an
    empty body, a JavaScript app's shell), the text is shorter than MIN_ARTICLE_CHARS (a
    teaser, a stub) or is mostly unrendered `{{ }}` template placeholders, or a short page is
    a wall asking to enable JavaScript or cookies or to prove one is human (see
    `_is_wall_text`). `<noscript>` text never counts: it is what the page says to browsers
    without scripts, and trafilatura's fallbacks would take it as text. The bytes are decoded
    by `charsets` (with the response's `content_type`); `now` and the site's `zone` date
    «сегодня, 14:05» and its kind (see `page_dates`).
    """
    if not html.strip():
        return None
    tree = load_html(html_text(html, content_type=content_type))
    if tree is None:
        return None
    canonical = _canonical_url(tree, url)  # read first: extraction prunes the tree
    places = date_places(tree)
    for element in tree.xpath("//noscript"):
        element.drop_tree()  # keeps the text that follows the element
    document = bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
    )
    if not isinstance(document, Document) or not document.text:
        return None
    title = one_line(document.title or "")
    body = _without_heading(tidy_text(document.text), title)
    if len(body) < MIN_ARTICLE_CHARS or _is_wall_text(f"{title}\n{body}") or _unrendered(body):
        return None
    return FeedItem(
        title=title,
        body=cap_body(body),
        url=canonical
        or absolute_http_url(document.url, base=url)
        or absolute_http_url(url, base=url),
        published=page_date(document.date, places, now=now, zone=zone),
    )


def _unrendered(body: str) -> bool:
    """A JavaScript app's template before its scripts ran: `{{ … }}` placeholders are a good
    share of the text, or what is left without them is too short to be an article."""
    rendered = _PLACEHOLDER.sub("", body)
    if len(rendered) == len(body):
        return False
    shown = len(tidy_text(rendered))
    return shown < MIN_ARTICLE_CHARS or len(rendered) < (1 - _UNRENDERED_SHARE) * len(body)


def _is_wall_text(text: str) -> bool:
    """A short page that asks to enable JavaScript or cookies, or to prove one is human: what
    bot walls show instead of the article. A long article may mention such a request."""
    return len(text) < _WALL_MAX_CHARS and _WALL.search(text) is not None


def listing_links(
    html: bytes, *, url: str, limit: int, content_type: str | None = None
) -> list[str]:
    """Same-site article links of a listing page: absolute, without fragments or utm_*
    parameters, de-duplicated, in page order, at most `limit`; [] for an unreadable page.
    Section pages (`/WORLD/`, `/ru/sport`: see `_is_section`) are not articles."""
    if limit <= 0 or not html.strip():
        return []
    tree = load_html(html_text(html, content_type=content_type))
    if tree is None:
        return []
    base = _base_url(tree, url)
    listing = urlsplit(url)
    links: list[str] = []
    seen: set[str] = set()
    for href in tree.xpath(_CONTENT_LINKS):
        link = _article_link(str(href), base=base, listing_host=listing.hostname or "")
        if link is None or link in seen or _is_navigation(link, listing.path):
            continue
        seen.add(link)
        links.append(link)
        if len(links) >= limit:
            break
    return links


def _article_link(href: str, *, base: str, listing_host: str) -> str | None:
    link = absolute_http_url(href, base=base)
    if link is None:
        return None
    parts = urlsplit(link)
    if _site(parts.hostname or "") != _site(listing_host):
        return None
    segments = [segment.lower() for segment in parts.path.split("/") if segment]
    if not segments or _NOT_ARTICLE_SEGMENTS.intersection(segments):
        return None
    if _NOT_PAGE_EXTENSION.search(parts.path) or _is_section(parts.path, parts.query):
        return None
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(key, value) for key, value in pairs if not _tracking(key)]
    if len(kept) < len(pairs):
        parts = parts._replace(query=urlencode(kept))
    return parts.geturl()


def _is_section(path: str, query: str) -> bool:
    """A section or menu page, not an article: no digit anywhere (articles carry an id or a
    date) and a last path segment without the `-` or `_` of a slug. A one-word article slug
    (`/ru/news/vybory`) is taken for a section too; a percent-encoded Cyrillic one is not
    (`%D0%B2…` has digits)."""
    last = path.rstrip("/").rpartition("/")[2]
    return not any(char.isdigit() for char in path + query) and not any(
        char in last for char in "-_"
    )


def _is_navigation(link: str, listing_path: str) -> bool:
    """A folder above the listing, or the listing itself with only paging or sorting changed
    (`/news?page=2`); `/news.php?id=7` on a `/news.php` listing is an article."""
    parts = urlsplit(link)
    path = parts.path.rstrip("/")
    listing = listing_path.rstrip("/")
    if path != listing:
        return listing.startswith(path + "/") or not path
    keys = {key.lower() for key, _ in parse_qsl(parts.query, keep_blank_values=True)}
    return keys <= _PAGING_KEYS


def _canonical_url(tree: Any, url: str) -> str | None:
    for href in tree.xpath("//link[@href][contains(concat(' ', @rel, ' '), ' canonical ')]/@href"):
        if resolved := absolute_http_url(str(href), base=_base_url(tree, url)):
            return resolved
    return None


def _without_heading(body: str, title: str) -> str:
    """The text without a first line that only repeats the title (the page's h1)."""
    first, _, rest = body.partition("\n")
    return rest.lstrip() if title and one_line(first) == title else body


def _base_url(tree: Any, url: str) -> str:
    """A `<base href>` in the page changes what relative links mean."""
    for href in tree.xpath("//head/base/@href"):
        if resolved := absolute_http_url(str(href), base=url):
            return resolved
    return url


def _site(host: str) -> str:
    host = host.lower().rstrip(".")
    return host.removeprefix("www.")


def _tracking(key: str) -> bool:
    return key.lower().startswith("utm_") or key.lower() in {"fbclid", "gclid", "yclid"}
