"""RSS and Atom feeds (as fetched bytes) into plain-text `FeedItem`s, with feedparser.

feedparser's HTML sanitiser and relative-URI rewriting are switched off: we strip every tag
ourselves and resolve only the item links, and the two passes more than double parse time
(see BENCHMARKS.md, "Feed parsing").
"""

from __future__ import annotations

import calendar
import io
import logging
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Final

import feedparser

from bot.ingest.errors import SourceError
from bot.ingest.html_text import html_to_text, looks_like_html_page, one_line, tidy_text
from bot.ingest.items import FeedItem, absolute_http_url, cap_body

__all__ = ["FeedItem", "parse_feed"]

_HTML_TYPES: Final = frozenset({"text/html", "application/xhtml+xml"})
# feedparser flags these as "bozo" too, but the feed itself parsed fine.
_BENIGN: Final = (feedparser.NonXMLContentType, feedparser.CharacterEncodingOverride)
# Surrogate character references, mangled encoding names, NUL bytes and stray end tags make
# feedparser itself raise these.
_PARSER_CRASHES: Final = (ValueError, LookupError, TypeError, AttributeError)

logger = logging.getLogger(__name__)


def parse_feed(body: bytes, *, url: str, content_type: str | None) -> list[FeedItem]:
    """The items of a feed in document order; SourceError when there is no usable feed.

    Reasons: "feed.empty", "feed.html_page" (an HTML page served as a feed),
    "feed.malformed" (broken or not a feed, and no entries could be salvaged).
    """
    if not body.strip():
        raise SourceError("feed.empty")
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    # A BytesIO, never raw bytes or str: feedparser treats those as a path or URL to open.
    try:
        parsed = feedparser.parse(
            io.BytesIO(body),
            response_headers=headers,
            sanitize_html=False,
            resolve_relative_uris=False,
        )
    except _PARSER_CRASHES as error:  # feedparser's own bugs on hostile bytes (found by fuzzing)
        logger.info("feedparser crashed url=%s error=%r", url, error)
        raise SourceError("feed.malformed", detail=type(error).__name__) from error
    entries: list[dict[str, Any]] = parsed.get("entries") or []
    if not entries:
        if looks_like_html_page(body) and not parsed.get("version"):
            raise SourceError("feed.html_page")
        problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
        if not parsed.get("version") or (problem and not isinstance(problem, _BENIGN)):
            raise SourceError("feed.malformed", detail=str(problem or "not a feed")[:200])
        return []
    return [_item(entry, url) for entry in entries]


def _item(entry: dict[str, Any], feed_url: str) -> FeedItem:
    return FeedItem(
        title=_title(entry),
        body=cap_body(_body(entry)),
        url=_link(entry, feed_url),
        published=_published(entry),
    )


def _title(entry: dict[str, Any]) -> str:
    """Plain text: markup in an HTML title is dropped; escaped markup in a text title stays."""
    value = entry.get("title") or ""
    detail = entry.get("title_detail") or {}
    if detail.get("type") in _HTML_TYPES:
        value = html_to_text(value)
    return one_line(value)


def _body(entry: dict[str, Any]) -> str:
    """The richest text the entry has: full content when present, else the summary."""
    candidates: list[Mapping[str, Any]] = list(entry.get("content") or [])
    summary = entry.get("summary_detail")
    if summary:
        candidates.append(summary)
    for candidate in candidates:
        value = candidate.get("value") or ""
        text = html_to_text(value) if candidate.get("type") in _HTML_TYPES else tidy_text(value)
        if text:
            return text
    return ""


def _link(entry: dict[str, Any], feed_url: str) -> str | None:
    """The entry's web page; a permalink guid stands in when there is no link."""
    for link in entry.get("links") or []:
        is_page = link.get("rel", "alternate") == "alternate"
        if is_page and (resolved := absolute_http_url(link.get("href"), base=feed_url)):
            return resolved
    if entry.get("guidislink"):
        return absolute_http_url(entry.get("id"), base=feed_url)
    return None


def _published(entry: dict[str, Any]) -> datetime | None:
    """Aware UTC from published, else updated (dict.get: feedparser warns on fallbacks)."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = dict.get(entry, key)
        if isinstance(value, time.struct_time):
            try:
                return datetime.fromtimestamp(calendar.timegm(value), UTC)
            except (OverflowError, OSError, ValueError):
                continue
    return None
