"""RSS and Atom feeds (as fetched bytes) into plain-text `FeedItem`s, with feedparser.

feedparser's HTML sanitiser and relative-URI rewriting are switched off: we strip every tag
ourselves and resolve only the item links, and the two passes more than double parse time
(see BENCHMARKS.md, "Feed parsing").
"""

from __future__ import annotations

import calendar
import io
import logging
import re
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Final

import feedparser
from feedparser.encodings import convert_to_utf8

from bot.domain.local_dates import find_local_date
from bot.ingest.charsets import utf8_xml
from bot.ingest.errors import SourceError
from bot.ingest.html_text import html_to_text, looks_like_html_page, one_line, tidy_text
from bot.ingest.items import FeedItem, absolute_http_url, cap_body

__all__ = ["FeedItem", "parse_feed"]

_HTML_TYPES: Final = frozenset({"text/html", "application/xhtml+xml"})
# feedparser flags these as "bozo" too, but the feed itself parsed fine.
_BENIGN: Final = (feedparser.NonXMLContentType, feedparser.CharacterEncodingOverride)
# Surrogate or huge character references, mangled encoding names, NUL bytes and stray end tags
# make feedparser itself raise these.
_PARSER_CRASHES: Final = (ValueError, LookupError, TypeError, AttributeError, OverflowError)
# A numeric character reference; which code points XML forbids is decided in _xml_allows.
_BAD_REFERENCE: Final = re.compile(rb"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));")
# "ENTITY" as ASCII-compatible encodings (UTF-7 and UTF-8 among them), EBCDIC, UTF-16 and
# UTF-32 write it: a feed without any of these declares no entities.
_ENTITY_KEYWORDS: Final = tuple(
    "ENTITY".encode(codec)
    for codec in ("ascii", "cp037", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
)
_PROLOG_ITEM: Final = re.compile(rb"\s*(?:(?P<instruction><\?)|<!--|(?P<doctype><!DOCTYPE))")
_DTD_TOKEN: Final = re.compile(rb"[\"'\[\]>]|<!--|<\?")
_DTD_CLOSERS: Final = {b'"': b'"', b"'": b"'", b"<!--": b"-->", b"<?": b"?>"}

logger = logging.getLogger(__name__)


def parse_feed(body: bytes, *, url: str, content_type: str | None) -> list[FeedItem]:
    """The items of a feed in document order; SourceError when there is no usable feed.

    Reasons: "feed.empty", "feed.html_page" (an HTML page served as a feed),
    "feed.malformed" (broken or not a feed, and no entries could be salvaged).
    """
    if not body.strip():
        raise SourceError("feed.empty")
    # Decoded by our rules (see charsets), so feedparser's own guessing never runs.
    body, content_type = utf8_xml(body, content_type=content_type)
    try:
        parsed = _parse(body, url=url, content_type=content_type)
    except SourceError:
        if (retried := _parse_without_bad_references(body, url, content_type)) is None:
            raise
        parsed = retried
    entries: list[dict[str, Any]] = parsed.get("entries") or []
    if not entries and (retried := _parse_without_bad_references(body, url, content_type)):
        entries = retried["entries"]
    if not entries:
        if looks_like_html_page(body) and not parsed.get("version"):
            raise SourceError("feed.html_page")
        problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
        if not parsed.get("version") or (problem and not isinstance(problem, _BENIGN)):
            raise SourceError("feed.malformed", detail=str(problem or "not a feed")[:200])
        return []
    return [_item(entry, url) for entry in entries]


def _parse(body: bytes, *, url: str, content_type: str | None) -> Any:
    """feedparser's result; SourceError("feed.malformed") when feedparser itself crashes."""
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    # A BytesIO, never raw bytes or str: feedparser treats those as a path or URL to open.
    try:
        return feedparser.parse(
            io.BytesIO(_without_entity_declarations(body, headers)),
            response_headers=headers,
            sanitize_html=False,
            resolve_relative_uris=False,
        )
    except _PARSER_CRASHES as error:  # feedparser's own bugs on hostile bytes (found by fuzzing)
        logger.info("feedparser crashed url=%s error=%r", url, error)
        raise SourceError("feed.malformed", detail=type(error).__name__) from error


def _without_entity_declarations(body: bytes, headers: dict[str, str]) -> bytes:
    """The body as UTF-8 without its DOCTYPE when that declares entities, else the body as is.

    feedparser hands expat UTF-8 after stripping only the `<!ENTITY` declarations that begin a
    line, so a one-line DTD still reaches expat, which expands a billion laughs to 100 times
    the feed's size (seconds and hundreds of megabytes) before it gives up. Feeds never need
    their own entities: the loose parser reads the feed without them. `headers` is updated to
    say UTF-8 when the body is converted. Costs six substring scans on an ordinary feed.
    """
    if not any(keyword in body for keyword in _ENTITY_KEYWORDS):
        return body
    found: dict[str, Any] = {}
    converted = convert_to_utf8(headers, body, found)  # what feedparser would hand expat
    if not found.get("encoding") or not isinstance(converted, bytes):
        return body  # undecodable: feedparser skips expat altogether
    doctype = _doctype_with_entities(converted)
    if doctype is None:
        return body
    media_type = headers.get("content-type", "").partition(";")[0].strip() or "application/xml"
    headers["content-type"] = f"{media_type}; charset=utf-8"
    return converted[: doctype[0]] + converted[doctype[1] :]


def _doctype_with_entities(data: bytes) -> tuple[int, int] | None:
    """Where the prolog's DOCTYPE is (to the end of `data` when unclosed), if it declares
    entities; the comments and processing instructions before it are skipped."""
    at = 0
    while item := _PROLOG_ITEM.match(data, at):
        if item["doctype"]:
            start = item.start("doctype")
            end = _doctype_end(data, item.end())
            declaration = data[start:end] if end >= 0 else data[start:]
            return (start, end if end >= 0 else len(data)) if b"<!ENTITY" in declaration else None
        closer = b"?>" if item["instruction"] else b"-->"
        end = data.find(closer, item.end())
        if end < 0:
            return None
        at = end + len(closer)
    return None


def _doctype_end(data: bytes, at: int) -> int:
    """Just past the `>` that closes a DOCTYPE, skipping literals, comments and processing
    instructions in its internal subset; -1 when it never closes."""
    depth = 0
    while token := _DTD_TOKEN.search(data, at):
        kind = token.group()
        if closer := _DTD_CLOSERS.get(kind):
            end = data.find(closer, token.end())
            if end < 0:
                return -1
            at = end + len(closer)
            continue
        if kind == b">" and depth <= 0:
            return token.end()
        depth += {b"[": 1, b"]": -1}.get(kind, 0)
        at = token.end()
    return -1


def _parse_without_bad_references(body: bytes, url: str, content_type: str | None) -> Any | None:
    """A second parse, with the character references XML forbids removed, when that one has
    entries: one `&#xD800;` in one title must not cost the feed's other items.

    Only on the failure path, so a good feed is never scanned twice."""
    if b"&#" not in body:
        return None
    repaired = _BAD_REFERENCE.sub(_drop_if_forbidden, body)
    if len(repaired) == len(body):
        return None
    try:
        parsed = _parse(repaired, url=url, content_type=content_type)
    except SourceError:
        return None
    if not parsed.get("entries"):
        return None
    logger.info("feed parsed without invalid character references url=%s", url)
    return parsed


def _drop_if_forbidden(match: re.Match[bytes]) -> bytes:
    """Nothing for a reference to a code point XML 1.0 forbids; the reference itself otherwise."""
    hexadecimal, decimal = match.group(1), match.group(2)
    digits = (hexadecimal or decimal).lstrip(b"0")
    if len(digits) > 8:  # past U+10FFFF in either base; and int() refuses 4,300 digits
        return b""
    code = int(digits or b"0", 16 if hexadecimal else 10)
    return match.group() if _xml_allows(code) else b""


def _xml_allows(code: int) -> bool:
    """XML 1.0's Char production: tab, LF, CR and U+0020 on, less surrogates, U+FFFE, U+FFFF."""
    if code < 0x20:
        return code in (0x9, 0xA, 0xD)
    return not (0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF) or code > 0x10FFFF)


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
    """Aware UTC from published, else updated (dict.get: feedparser warns on fallbacks); the
    dates feedparser cannot read («Пн, 24 сен 2018 19:42:40 +0300») are read as sites write
    them in Russian, Kazakh or English."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = dict.get(entry, key)
        if isinstance(value, time.struct_time):
            try:
                return datetime.fromtimestamp(calendar.timegm(value), UTC)
            except (OverflowError, OSError, ValueError):
                continue
    for key in ("published", "updated", "created"):
        written = dict.get(entry, key)
        if isinstance(written, str) and (found := find_local_date(written, now=None, zone=UTC)):
            return found
    return None
