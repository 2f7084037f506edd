"""gov.kz press releases, read from the public JSON API behind the site's JavaScript pages.

The pages of `https://www.gov.kz/memleket/entities/<slug>` are an empty shell; the app asks
`{GOVKZ_API_URL}/news?sort-by=created_date:DESC&projects=eq:<slug>&page=1&size=20` for each
language (shared/research/govkz.md: nothing there was checked live, so this reads both answer
shapes seen in the wild and names every other answer in one reason). A release keeps its id
in every language: the versions share the story key `govkz:<slug>:<id>` and so one cluster.

Addresses are built on the event loop (`source_reader`); `read_news` is CPU work on untrusted
bytes and runs in the parsing workers (`source_parsing.prepare_govkz`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Final
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from bot.domain.taxonomy import Language
from bot.ingest.errors import SourceError
from bot.ingest.html_text import html_to_text, one_line
from bot.ingest.items import FeedItem, cap_body
from bot.ingest.prepare import Rejection

# Russian first: the language every entity publishes in, so the first failure is the telling one.
LANGUAGES: Final[tuple[Language, ...]] = ("ru", "kk", "en")
PAGE_SIZE: Final = 20
# Items of one answer that are read at all: we ask for PAGE_SIZE; a runaway answer is cut.
MAX_PAGE_ITEMS: Final = 500
# The public site's host, whatever GOVKZ_API_URL points at (tests point it at 127.0.0.1).
SITE: Final = "https://www.gov.kz"
# gov.kz writes local times without an offset; its clock is Kazakhstan's.
ZONE: Final = ZoneInfo("Asia/Almaty")
REFUSED: Final = "govkz.refused"
NOT_JSON: Final = "govkz.not_json"
EMPTY: Final = "govkz.empty"

_ENTITY: Final = re.compile(
    r"https?://(?:www\.)?gov\.kz/memleket/entities/([a-z0-9][a-z0-9-]{0,63})(?:[/?#]|$)",
    re.IGNORECASE,
)
_REFUSALS: Final = frozenset({"fetch.http_401", "fetch.http_403"})
_ID_DIGITS: Final = 20


def entity_slug(url: str) -> str | None:
    """The entity of a gov.kz address (`…/memleket/entities/<slug>[/…]`), lower-case; None
    for any other address."""
    match = _ENTITY.match(url.strip())
    return match.group(1).lower() if match else None


def news_url(api_base: str, slug: str, language: Language) -> str:
    """The newest page of an entity's news in one language (`lang` in the query, as one
    client sends it; `:` left as written, as every client does)."""
    query = urlencode(
        {
            "sort-by": "created_date:DESC",
            "projects": f"eq:{slug}",
            "page": 1,
            "size": PAGE_SIZE,
            "lang": language,
        },
        safe=":",
        quote_via=quote,
    )
    return f"{api_base.rstrip('/')}/news?{query}"


def article_url(slug: str, news_id: str, language: Language) -> str:
    """The release's public page; the language is in its address, so versions differ."""
    return f"{SITE}/memleket/entities/{slug}/press/news/details/{news_id}?lang={language}"


def story_key(slug: str, news_id: str) -> str:
    return f"govkz:{slug}:{news_id}"


def fetch_reason(reason: str) -> str:
    """A fetch failure as the source's reason: 401 and 403 mean the API refused us."""
    return REFUSED if reason in _REFUSALS else reason


def read_news(
    body: bytes, *, slug: str, language: Language
) -> tuple[list[FeedItem], list[Rejection], int]:
    """The releases of one answer (a bare list, or a page object with `content`), the items
    that could not be read (by position), and how many were beyond MAX_PAGE_ITEMS.

    SourceError(NOT_JSON) for anything else (an HTML bot wall, `{"error": …}`), and
    SourceError(EMPTY) when the list is empty: an entity that never published is a typo.
    """
    raw = _news_list(body)
    if not raw:
        raise SourceError(EMPTY)
    items: list[FeedItem] = []
    rejections: list[Rejection] = []
    for position, entry in enumerate(raw[:MAX_PAGE_ITEMS]):
        item = _item(entry, slug, language) if isinstance(entry, dict) else None
        if item is None:
            rejections.append(Rejection(f"{language}:{position}", "govkz.bad_item"))
        else:
            items.append(item)
    return items, rejections, max(len(raw) - MAX_PAGE_ITEMS, 0)


def _news_list(body: bytes) -> list[Any]:
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        raise SourceError(NOT_JSON) from None
    if isinstance(data, dict):
        data = data.get("content")
    if not isinstance(data, list):
        raise SourceError(NOT_JSON)
    return data


def _item(entry: Mapping[str, Any], slug: str, language: Language) -> FeedItem | None:
    """One release; None without a usable id (no address can be built for it)."""
    news_id = _id(entry.get("id"))
    if news_id is None:
        return None
    body = _text(entry.get("body")) or _text(entry.get("short_description"))
    return FeedItem(
        title=one_line(_text(entry.get("title"))),
        body=cap_body(body),
        url=article_url(slug, news_id, language),
        published=_published(entry),
        language=language,
        story_key=story_key(slug, news_id),
    )


def _id(value: object) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value) if value >= 0 else None
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return value if len(value) <= _ID_DIGITS else None
    return None


def _text(value: object) -> str:
    return html_to_text(value) if isinstance(value, str) else ""


def _published(entry: Mapping[str, Any]) -> datetime | None:
    """UTC time of publication (else of creation); a time without offset is Almaty's."""
    for key in ("publication_date", "created_date"):
        value = entry.get(key)
        if not isinstance(value, str) or not value.strip():
            continue
        try:
            when = datetime.fromisoformat(value.strip())
            return (when if when.tzinfo is not None else when.replace(tzinfo=ZONE)).astimezone(UTC)
        except (ValueError, OverflowError):  # not ISO 8601; or a year UTC cannot hold
            continue
    return None


def request_headers(language: str) -> dict[str, str]:
    """What clients of the API send besides `&lang=`: the language again, and JSON wanted."""
    return {"Accept-Language": language, "Accept": "application/json"}
